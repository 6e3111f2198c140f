package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HKDF-SHA256 (RFC 5869 A.1-A.3) and scrypt (RFC 7914 section 12) through our wrappers. */
class KdfTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] range(int from, int toInclusive) {
        byte[] bytes = new byte[toInclusive - from + 1];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    private static byte[] repeat(int value, int count) {
        byte[] bytes = new byte[count];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void hkdfRfc5869Case1() {
        assertArrayEquals(HEX.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                Hkdf.derive(repeat(0x0b, 22), range(0x00, 0x0c), range(0xf0, 0xf9), 42));
    }

    @Test
    void hkdfRfc5869Case2LongInputs() {
        assertArrayEquals(HEX.parseHex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f1d87"),
                Hkdf.derive(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82));
    }

    /** No salt and no info: the case gocryptfs is in (no salt), through the entry point it uses. */
    @Test
    void hkdfRfc5869Case3NoSalt() {
        byte[] expected = HEX.parseHex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
        assertArrayEquals(expected, Hkdf.derive(repeat(0x0b, 22), null, new byte[0], 42));
        assertArrayEquals(expected, Hkdf.derive(repeat(0x0b, 22), "", 42));
    }

    @Test
    void scryptRfc7914Vectors() {
        assertArrayEquals(HEX.parseHex("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
                ScryptParams.scrypt(new byte[0], new byte[0], 16, 1, 1, 64));
        assertArrayEquals(HEX.parseHex("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
                ScryptParams.scrypt(ascii("password"), ascii("NaCl"), 1024, 8, 16, 64));
        assertArrayEquals(HEX.parseHex("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                        + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
                ScryptParams.scrypt(ascii("pleaseletmein"), ascii("SodiumChloride"), 16384, 8, 1, 64));
    }

    @Test
    void scryptLimitsAreGocryptfsOnes() {
        byte[] salt = new byte[32];
        new ScryptParams(salt, 1 << 10, 8, 1, 32).validate();
        assertMessage("N=512 is too weak", () -> new ScryptParams(salt, 512, 8, 1, 32).validate());
        assertMessage("N=1536 is not a power of two", () -> new ScryptParams(salt, 1536, 8, 1, 32).validate());
        assertMessage("R=7 is too weak", () -> new ScryptParams(salt, 1024, 7, 1, 32).validate());
        assertMessage("P=0 is too weak", () -> new ScryptParams(salt, 1024, 8, 0, 32).validate());
        assertMessage("salt of 31 bytes is too short", () -> new ScryptParams(new byte[31], 1024, 8, 1, 32).validate());
        assertMessage("KeyLen=16 is too weak", () -> new ScryptParams(salt, 1024, 8, 1, 16).validate());
        assertMessage("KeyLen=64 is unusable", () -> new ScryptParams(salt, 1024, 8, 1, 64).validate());
        assertMessage("needs more memory", () -> new ScryptParams(salt, 1L << 30, 8, 1, 32).validate());
        assertEquals(16, ScryptParams.fresh(16, new java.security.SecureRandom()).logN());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        FormatException e = assertThrows(FormatException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
