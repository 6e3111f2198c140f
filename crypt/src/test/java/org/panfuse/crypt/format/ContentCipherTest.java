package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentCipherTest {
    private static MasterKey key;
    private static ContentCipher content;
    private static final byte[] FILE_ID = PathIv.derive("dir/file", PathIv.FILEID);
    private static final byte[] BLOCK0 = PathIv.derive("dir/file", PathIv.BLOCK0IV);

    @BeforeAll
    static void keys() {
        byte[] bytes = new byte[32];
        new Random(42).nextBytes(bytes);
        key = MasterKey.copyOf(bytes);
        content = key.contentCipher();
    }

    @AfterAll
    static void close() {
        content.close();
        key.close();
    }

    @Test
    void cipherSizeAtTheEdges() {
        assertEquals(0, ContentCipher.cipherSize(0));
        assertEquals(18 + 1 + 32, ContentCipher.cipherSize(1));
        assertEquals(18 + 4095 + 32, ContentCipher.cipherSize(4095));
        assertEquals(18 + 4128, ContentCipher.cipherSize(4096));
        assertEquals(18 + 4128 + 33, ContentCipher.cipherSize(4097));
        assertEquals(18 + 4128L * (1L << 20), ContentCipher.cipherSize(4096L << 20));
        assertEquals(18 + 4128L * 1_000_000 + 1 + 32, ContentCipher.cipherSize(4096L * 1_000_000 + 1));
        assertThrows(IllegalArgumentException.class, () -> ContentCipher.cipherSize(-1));
        assertThrows(ArithmeticException.class, () -> ContentCipher.cipherSize(Long.MAX_VALUE - 10));
    }

    @Test
    void plainSizeInvertsCipherSize() {
        for (long plain = 0; plain < 3 * 4096 + 10; plain++) {
            assertEquals(plain, ContentCipher.plainSize(ContentCipher.cipherSize(plain)), "plain " + plain);
        }
        long big = 5L << 40;
        assertEquals(big + 12345, ContentCipher.plainSize(ContentCipher.cipherSize(big + 12345)));
    }

    /** The impossible sizes, as gocryptfs's CipherSizeToPlainSize guesses them. */
    @Test
    void plainSizeOfImpossibleSizesFollowsGocryptfs() {
        for (long c = 0; c <= 18; c++) {
            assertEquals(0, ContentCipher.plainSize(c), "size " + c);
        }
        // A last block of 1..32 bytes (no room for plaintext) is taken as 33: one plaintext byte.
        for (long c = 19; c <= 50; c++) {
            assertEquals(1, ContentCipher.plainSize(c), "size " + c);
        }
        assertEquals(1, ContentCipher.plainSize(51));
        assertEquals(4096 + 1, ContentCipher.plainSize(18 + 4128 + 5));
        assertEquals(4096, ContentCipher.plainSize(18 + 4128));
    }

    @Test
    void headerRoundTripsAndRefusesDamage() throws Exception {
        byte[] header = new byte[20];
        ContentCipher.header(FILE_ID, header, 2);
        assertEquals(0, header[2]);
        assertEquals(2, header[3]);
        assertArrayEquals(FILE_ID, ContentCipher.parseHeader(header, 2));

        assertRefused(new byte[18], "all zero");
        byte[] v3 = Arrays.copyOfRange(header, 2, 20);
        v3[1] = 3;
        assertRefused(v3, "version 3");
        byte[] v258 = Arrays.copyOfRange(header, 2, 20);
        v258[0] = 1;
        assertRefused(v258, "version 258");
        byte[] zeroId = new byte[18];
        zeroId[1] = 2;
        assertRefused(zeroId, "all-zero file ID");
    }

    private static void assertRefused(byte[] header, String reason) {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> ContentCipher.parseHeader(header, 0));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 100, 4095, 4096})
    void blockRoundTrips(int length) throws Exception {
        BlockCipher blocks = content.newBlockCipher();
        byte[] plain = new byte[length];
        new Random(length).nextBytes(plain);
        byte[] nonce = new byte[16];
        PathIv.blockIv(BLOCK0, 9, nonce);
        byte[] sealed = new byte[length + 32 + 5];
        blocks.encrypt(plain, 0, length, 9, FILE_ID, nonce, sealed, 5);
        assertArrayEquals(nonce, Arrays.copyOfRange(sealed, 5, 21));
        byte[] opened = new byte[length + 1];
        assertEquals(length, blocks.decrypt(sealed, 5, length + 32, 9, FILE_ID, opened, 1));
        assertArrayEquals(plain, Arrays.copyOfRange(opened, 1, length + 1));
        // Another thread's cipher (another instance) agrees.
        byte[] again = new byte[length + 32];
        content.newBlockCipher().encrypt(plain, 0, length, 9, FILE_ID, nonce, again, 0);
        assertArrayEquals(Arrays.copyOfRange(sealed, 5, 5 + length + 32), again);
    }

    /** Nonce, tag, ciphertext, block number, file ID: every one is authenticated, and nothing leaks on failure. */
    @Test
    void tamperingIsDetected() throws Exception {
        BlockCipher blocks = content.newBlockCipher();
        byte[] plain = new byte[4096];
        Arrays.fill(plain, (byte) 'x');
        byte[] nonce = new byte[16];
        PathIv.blockIv(BLOCK0, 3, nonce);
        byte[] sealed = new byte[4128];
        blocks.encrypt(plain, 0, 4096, 3, FILE_ID, nonce, sealed, 0);
        byte[] out = new byte[4096];
        for (int at : new int[] {0, 15, 16, 31, 32, 2000, 4127}) {
            byte[] tampered = sealed.clone();
            tampered[at] ^= 0x10;
            Arrays.fill(out, (byte) 1);
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> blocks.decrypt(tampered, 0, 4128, 3, FILE_ID, out, 0), "byte " + at);
            assertEquals("block 3 failed to authenticate", e.getMessage());
            assertArrayEquals(new byte[4096], out, "nothing unauthenticated is left in the output");
        }
        assertThrows(AuthenticationException.class, () -> blocks.decrypt(sealed, 0, 4128, 4, FILE_ID, out, 0));
        assertThrows(AuthenticationException.class,
                () -> blocks.decrypt(sealed, 0, 4128, 3, PathIv.derive("dir/other", PathIv.FILEID), out, 0));
        assertThrows(AuthenticationException.class, () -> blocks.decrypt(sealed, 0, 4127, 3, FILE_ID, out, 0));
        assertEquals(4096, blocks.decrypt(sealed, 0, 4128, 3, FILE_ID, out, 0));
    }

    @Test
    void shortAndZeroBlocks() throws Exception {
        BlockCipher blocks = content.newBlockCipher();
        byte[] out = new byte[4096];
        AuthenticationException shortOne = assertThrows(AuthenticationException.class,
                () -> blocks.decrypt(new byte[31], 0, 31, 0, FILE_ID, out, 0));
        assertTrue(shortOne.getMessage().contains("31 bytes"), shortOne.getMessage());

        // A whole block of zeros is a hole of a sparse file in gocryptfs's forward mode.
        Arrays.fill(out, (byte) 1);
        assertEquals(4096, blocks.decrypt(new byte[4128], 0, 4128, 7, FILE_ID, out, 0));
        assertArrayEquals(new byte[4096], out);
        // Anything shorter, or with a zero nonce and other bytes, is damage.
        AuthenticationException zeroNonce = assertThrows(AuthenticationException.class,
                () -> blocks.decrypt(new byte[4127], 0, 4127, 7, FILE_ID, out, 0));
        assertTrue(zeroNonce.getMessage().contains("all-zero nonce"), zeroNonce.getMessage());
        byte[] almost = new byte[4128];
        almost[4127] = 1;
        assertThrows(AuthenticationException.class, () -> blocks.decrypt(almost, 0, 4128, 7, FILE_ID, out, 0));

        byte[] nonce = new byte[16];
        assertThrows(IllegalArgumentException.class,
                () -> blocks.encrypt(new byte[1], 0, 1, 0, FILE_ID, nonce, new byte[33], 0));
        assertThrows(IllegalArgumentException.class,
                () -> blocks.encrypt(new byte[0], 0, 0, 0, FILE_ID, BLOCK0, new byte[32], 0));
        assertThrows(IllegalArgumentException.class,
                () -> blocks.encrypt(new byte[4097], 0, 4097, 0, FILE_ID, BLOCK0, new byte[4129], 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> blocks.encrypt(new byte[10], 0, 10, 0, FILE_ID, BLOCK0, new byte[41], 0));
    }

    @Test
    void symlinksRoundTripAndRefuseDamage() throws Exception {
        byte[] nonce = PathIv.derive("dir/link", PathIv.SYMLINKIV);
        String target = content.encryptSymlink("../a.txt".getBytes(), nonce);
        assertEquals((16 + 16 + 8) * 4 / 3 + 1, target.length());
        assertArrayEquals(nonce, Arrays.copyOf(Base64.getUrlDecoder().decode(target), 16));
        assertArrayEquals("../a.txt".getBytes(), content.decryptSymlink(target));
        assertNotEquals(target, content.encryptSymlink("../a.txt".getBytes(), PathIv.derive("dir/l2", PathIv.SYMLINKIV)));

        byte[] raw = Base64.getUrlDecoder().decode(target);
        raw[35] ^= 1;
        assertSymlinkRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "failed to authenticate");
        assertSymlinkRefused(target + "=", "base64url");
        assertSymlinkRefused("../a.txt", "base64url");
        assertSymlinkRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]), "32 bytes");
        byte[] zeroNonce = new byte[40];
        zeroNonce[39] = 1;
        assertSymlinkRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(zeroNonce), "all-zero nonce");

        byte[] longTarget = new byte[4095];
        Arrays.fill(longTarget, (byte) 'd');
        assertArrayEquals(longTarget, content.decryptSymlink(content.encryptSymlink(longTarget, nonce)));
        assertThrows(IllegalArgumentException.class, () -> content.encryptSymlink(new byte[0], nonce));
    }

    private static void assertSymlinkRefused(String target, String reason) {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> content.decryptSymlink(target));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** Sealed as block 0 of no file: the associated data is eight zero bytes, then the nonce. */
    @Test
    void symlinkIsBlockZeroOfNoFile() throws Exception {
        byte[] sivKey = Hkdf.derive(key.copyBytes(), Hkdf.SIV_CONTENT, 64);
        byte[] nonce = PathIv.derive("x", PathIv.SYMLINKIV);
        byte[] sealed = new AesSiv(sivKey).seal(new byte[][] {new byte[8], nonce}, "t".getBytes());
        byte[] expected = new byte[16 + sealed.length];
        System.arraycopy(nonce, 0, expected, 0, 16);
        System.arraycopy(sealed, 0, expected, 16, sealed.length);
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected),
                content.encryptSymlink("t".getBytes(), nonce));
        assertEquals(HexFormat.of().formatHex(sealed).length(), (1 + 16) * 2);
    }

    @Test
    void closedCipherHandsOutNothing() {
        ContentCipher closing = key.contentCipher();
        BlockCipher kept = closing.newBlockCipher();
        closing.close();
        closing.close();
        assertThrows(IllegalStateException.class, closing::newBlockCipher);
        assertThrows(IllegalStateException.class, () -> closing.encryptSymlink("a".getBytes(), BLOCK0));
        kept.encrypt(new byte[1], 0, 1, 0, FILE_ID, BLOCK0, new byte[33], 0);
    }
}
