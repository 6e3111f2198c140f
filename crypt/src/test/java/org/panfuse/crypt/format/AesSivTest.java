package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.cryptomator.siv.SivMode;
import org.junit.jupiter.api.Test;

/** Our RFC 5297 against the RFC's own vectors and against cryptomator's independent implementation. */
class AesSivTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc5297A1DeterministicAuthenticatedEncryption() {
        byte[] key = HEX.parseHex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        byte[] ad = HEX.parseHex("101112131415161718191a1b1c1d1e1f2021222324252627");
        byte[] plain = HEX.parseHex("112233445566778899aabbccddee");
        byte[] expected = HEX.parseHex("85632d07c6e8f37f950acd320a2ecc93" + "40c02b9690c4dc04daef7f6afe5c");

        AesSiv siv = new AesSiv(key);
        assertArrayEquals(expected, siv.seal(new byte[][] {ad}, plain));
        assertArrayEquals(plain, siv.open(new byte[][] {ad}, expected));
    }

    @Test
    void rfc5297A2NonceBasedWithSeveralAssociatedData() {
        byte[] key = HEX.parseHex("7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f");
        byte[] ad1 = HEX.parseHex("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100");
        byte[] ad2 = HEX.parseHex("102030405060708090a0");
        byte[] nonce = HEX.parseHex("09f911029d74e35bd84156c5635688c0");
        byte[] plain = HEX.parseHex("7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553");
        byte[] expected = HEX.parseHex("7bdb6e3b432667eb06f4d14bff2fbd0f"
                + "cb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d");

        AesSiv siv = new AesSiv(key);
        byte[][] associated = {ad1, ad2, nonce};
        assertArrayEquals(expected, siv.seal(associated, plain));
        assertArrayEquals(plain, siv.open(associated, expected));
        // Another order of the same strings is another message.
        assertNull(siv.open(new byte[][] {ad2, ad1, nonce}, expected));
    }

    @Test
    void anyFlippedBitFailsToOpen() {
        byte[] key = new byte[64];
        new Random(1).nextBytes(key);
        AesSiv siv = new AesSiv(key);
        byte[][] associated = {"ad".getBytes(), "nonce".getBytes()};
        byte[] sealed = siv.seal(associated, "some plaintext of a few blocks, 47 bytes long.".getBytes());
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertNull(siv.open(associated, tampered), "bit " + bit);
        }
    }

    /**
     * The gocryptfs shape (two associated strings, 0..4096 bytes and beyond one
     * CTR chunk) against org.cryptomator.siv, through both of our entry points.
     */
    @Test
    void agreesWithCryptomatorSivMode() throws Exception {
        Random random = new Random(5297);
        SivMode reference = new SivMode();
        byte[] key = new byte[64];
        for (int round = 0; round < 400; round++) {
            if (round % 50 == 0) {
                random.nextBytes(key);
            }
            AesSiv siv = new AesSiv(key);
            int length = switch (round % 8) {
                case 0 -> random.nextInt(17);
                case 1 -> 4096;
                case 2 -> 4080 + random.nextInt(17);
                case 3 -> round < 8 ? 12345 : random.nextInt(64);
                default -> random.nextInt(4097);
            };
            byte[] plain = new byte[length];
            random.nextBytes(plain);
            byte[] ad = new byte[random.nextInt(40)];
            random.nextBytes(ad);
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);

            byte[] macKey = Arrays.copyOfRange(key, 0, 32);
            byte[] ctrKey = Arrays.copyOfRange(key, 32, 64);
            byte[] expected = reference.encrypt(ctrKey, macKey, plain, ad, nonce);

            assertArrayEquals(expected, siv.seal(new byte[][] {ad, nonce}, plain), "length " + length);
            byte[] out = new byte[length + 16 + 7];
            siv.seal(ad, 0, ad.length, nonce, 0, 16, plain, 0, length, out, 7);
            assertArrayEquals(expected, Arrays.copyOfRange(out, 7, 7 + length + 16), "length " + length);

            byte[] opened = new byte[length + 3];
            assertTrue(siv.open(ad, 0, ad.length, nonce, 0, 16, expected, 0, expected.length, opened, 3));
            assertArrayEquals(plain, Arrays.copyOfRange(opened, 3, 3 + length));
            assertArrayEquals(plain, reference.decrypt(ctrKey, macKey, expected, ad, nonce));
        }
    }

    @Test
    void failedOpenLeavesNoPlaintext() {
        byte[] key = new byte[64];
        new Random(2).nextBytes(key);
        AesSiv siv = new AesSiv(key);
        byte[] ad = new byte[24];
        byte[] nonce = new byte[16];
        Arrays.fill(nonce, (byte) 1);
        byte[] plain = new byte[100];
        Arrays.fill(plain, (byte) 'p');
        byte[] sealed = new byte[116];
        siv.seal(ad, 0, 24, nonce, 0, 16, plain, 0, 100, sealed, 0);
        sealed[50] ^= 1;
        byte[] out = new byte[100];
        assertFalse(siv.open(ad, 0, 24, nonce, 0, 16, sealed, 0, 116, out, 0));
        assertArrayEquals(new byte[100], out);
        assertEquals(116, sealed.length);
    }
}
