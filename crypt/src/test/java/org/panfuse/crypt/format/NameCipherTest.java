package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameCipherTest {
    private static MasterKey key;
    private static NameCipher names;
    private static Eme eme;
    private static final byte[] DIR_IV = PathIv.derive("", PathIv.DIRIV);

    @BeforeAll
    static void keys() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 7);
        key = MasterKey.copyOf(bytes);
        names = key.nameCipher(255);
        eme = new Eme(Hkdf.derive(bytes, Hkdf.EME_NAMES, 32));
    }

    @AfterAll
    static void close() {
        key.close();
    }

    private static byte[] name(int length) {
        byte[] name = new byte[length];
        Arrays.fill(name, (byte) 'n');
        return name;
    }

    /** 1..15 bytes pad to one block (22 chars), 16..31 to two (43 chars), 255 to sixteen (342 chars). */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 31, 32, 175, 176, 255})
    void padsToWholeBlocksAndRoundTrips(int length) throws Exception {
        byte[] plain = name(length);
        String encrypted = names.encrypt(plain, DIR_IV);
        int blocks = length / 16 + 1;
        assertEquals((blocks * 16 * 4 + 2) / 3, encrypted.length(), "unpadded base64 of " + blocks + " blocks");
        assertEquals(blocks * 16, Base64.getUrlDecoder().decode(encrypted).length);
        assertArrayEquals(plain, names.decrypt(encrypted, DIR_IV));
        // The padding itself: decrypting by hand shows blocks*16 - length bytes of that value.
        byte[] padded = eme.decrypt(DIR_IV, Base64.getUrlDecoder().decode(encrypted));
        int padding = blocks * 16 - length;
        for (int i = length; i < padded.length; i++) {
            assertEquals(padding, padded[i]);
        }
    }

    /** 175 bytes encrypt to 235 characters and stay; 176 give 256 and are hashed. */
    @Test
    void longNameThresholdIs255Characters() throws Exception {
        String short175 = names.encrypt(name(175), DIR_IV);
        String long176 = names.encrypt(name(176), DIR_IV);
        assertEquals(235, short175.length());
        assertEquals(256, long176.length());
        assertFalse(names.isLong(short175));
        assertEquals(short175, names.diskName(short175));
        assertTrue(names.isLong(long176));

        String disk = names.diskName(long176);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(long176.getBytes(StandardCharsets.US_ASCII));
        assertEquals("gocryptfs.longname." + Base64.getUrlEncoder().withoutPadding().encodeToString(hash), disk);
        assertEquals(62, disk.length());
        assertTrue(NameCipher.isLongContent(disk));
        assertFalse(NameCipher.isNameFile(disk));
        assertTrue(NameCipher.isNameFile(disk + NameCipher.LONGNAME_SUFFIX));
        assertFalse(NameCipher.isLongContent(disk + NameCipher.LONGNAME_SUFFIX));
        assertFalse(NameCipher.isLongContent(short175));
        assertFalse(NameCipher.isNameFile("gocryptfs.diriv"));
    }

    @Test
    void longNameMaxLowersTheThreshold() {
        NameCipher strict = key.nameCipher(62);
        String sixteen = names.encrypt(name(16), DIR_IV); // 43 characters
        String thirtyTwo = names.encrypt(name(32), DIR_IV); // 64 characters
        assertFalse(strict.isLong(sixteen));
        assertTrue(strict.isLong(thirtyTwo));
        assertFalse(names.isLong(thirtyTwo));
        assertEquals(thirtyTwo, strict.encrypt(name(32), DIR_IV));
        assertThrows(IllegalArgumentException.class, () -> key.nameCipher(61));
        assertThrows(IllegalArgumentException.class, () -> key.nameCipher(256));
    }

    @Test
    void dependsOnTheDirIv() throws Exception {
        byte[] other = PathIv.derive("x", PathIv.DIRIV);
        String here = names.encrypt("file".getBytes(), DIR_IV);
        String there = names.encrypt("file".getBytes(), other);
        assertNotEquals(here, there);
        // EME cannot notice a wrong tweak; the padding usually does, else the name comes out as garbage.
        try {
            assertFalse(Arrays.equals("file".getBytes(), names.decrypt(here, other)));
        } catch (AuthenticationException expected) {
            // fine
        }
    }

    @Test
    void refusesInvalidPlaintextNames() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
            assertThrows(IllegalArgumentException.class, () -> names.encrypt(bad.getBytes(), DIR_IV), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> names.encrypt(name(256), DIR_IV));
        assertThrows(IllegalArgumentException.class, () -> names.encrypt(name(3), new byte[15]));
        names.encrypt("...".getBytes(), DIR_IV);
        names.encrypt(".hidden".getBytes(), DIR_IV);
    }

    @Test
    void decryptRefusesCorruptInput() {
        String good = names.encrypt("file".getBytes(), DIR_IV);
        assertRefused("", "0 bytes");
        assertRefused("abc!", "not unpadded base64url");
        assertRefused(good + "==", "not unpadded base64url");
        assertRefused("+" + good.substring(1), "not unpadded base64url");
        assertRefused("/" + good.substring(1), "not unpadded base64url");
        // 22 characters carry 132 bits for 128: the last one is A, Q, g or w; its successor sets an unused bit.
        char last = good.charAt(good.length() - 1);
        String sloppy = good.substring(0, good.length() - 1) + (char) (last + 1);
        assertRefused(sloppy, "not unpadded base64url");
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[15]), "15 bytes");
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[2064]), "2064 bytes");
        assertRefused("gocryptfs.longname.abc", "not unpadded base64url");
    }

    @Test
    void decryptRefusesBadPaddingAndBadNames() {
        assertPadded(block("abc", 0), "bad padding");
        assertPadded(block("abc", 17), "bad padding");
        // Padding 16 over a single block would leave an empty name.
        byte[] allPadding = new byte[16];
        Arrays.fill(allPadding, (byte) 16);
        assertPadded(allPadding, "bad padding");
        byte[] mixed = block("abcdefghijkl", 4);
        mixed[13] = 5;
        assertPadded(mixed, "bad padding");
        assertPadded(block(".", 15), "\".\" or \"..\"");
        assertPadded(block("..", 14), "\".\" or \"..\"");
        assertPadded(block("a/b", 13), "'/' or NUL");
        assertPadded(block("a\0b", 13), "'/' or NUL");
        byte[] tooLong = new byte[272];
        Arrays.fill(tooLong, (byte) 'x');
        Arrays.fill(tooLong, 256, 272, (byte) 16);
        assertPadded(tooLong, "longer than 255");
    }

    /** A block holding {@code name} and then bytes of value {@code pad} up to 16. */
    private static byte[] block(String name, int pad) {
        byte[] block = new byte[16];
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, block, 0, bytes.length);
        Arrays.fill(block, bytes.length, 16, (byte) pad);
        return block;
    }

    private static void assertPadded(byte[] padded, String reason) {
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(eme.encrypt(DIR_IV, padded)), reason);
    }

    private static void assertRefused(String encrypted, String reason) {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> names.decrypt(encrypted, DIR_IV),
                encrypted);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
