package org.panfuse.crypt.format;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * EME, Halevi and Rogaway's wide-block mode ("A Parallelizable Enciphering
 * Mode", 2003), with a 16-byte tweak over 1 to 128 AES blocks, as gocryptfs
 * encrypts names. One pass encrypts every block under a mask, a middle step
 * mixes them all through one more AES call, a last pass encrypts under the mask
 * again; decryption is the same with AES decryption in every AES step. The
 * masks come from AES encryption of zero in both directions. The JDK has no
 * EME. Not thread-safe.
 */
final class Eme {
    static final int BLOCK = 16;
    static final int MAX_BLOCKS = 128;

    private final Cipher encrypt;
    private final Cipher decrypt;
    /** Mask of block j: 2^(j+1) * AES(0^128), in EME's little-endian GF(2^128). */
    private final byte[] masks = new byte[MAX_BLOCKS * BLOCK];

    /** @param key the 32-byte AES-256 key; the JCE copies it, so the caller may wipe it */
    Eme(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        try {
            encrypt = Cipher.getInstance("AES/ECB/NoPadding");
            encrypt.init(Cipher.ENCRYPT_MODE, spec);
            decrypt = Cipher.getInstance("AES/ECB/NoPadding");
            decrypt.init(Cipher.DECRYPT_MODE, spec);
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("AES is not available", missing);
        }
        byte[] mask = aes(encrypt, new byte[BLOCK]);
        for (int j = 0; j < MAX_BLOCKS; j++) {
            times2(mask, 0);
            System.arraycopy(mask, 0, masks, j * BLOCK, BLOCK);
        }
    }

    byte[] encrypt(byte[] tweak, byte[] data) {
        return transform(tweak, data, encrypt);
    }

    byte[] decrypt(byte[] tweak, byte[] data) {
        return transform(tweak, data, decrypt);
    }

    private byte[] transform(byte[] tweak, byte[] data, Cipher aes) {
        if (tweak.length != BLOCK) {
            throw new IllegalArgumentException("EME tweak must be 16 bytes, not " + tweak.length);
        }
        int m = data.length / BLOCK;
        if (data.length % BLOCK != 0 || m < 1 || m > MAX_BLOCKS) {
            throw new IllegalArgumentException("EME takes 1 to 128 blocks of 16 bytes, not " + data.length + " bytes");
        }
        // First pass: PPP_j = AES(P_j xor mask_j), all blocks in one call.
        byte[] x = new byte[data.length];
        xor(data, 0, masks, 0, x, 0, data.length);
        x = aes(aes, x);

        // Middle: MP = T xor (xor of all PPP_j); MC = AES(MP); M = MP xor MC.
        byte[] mp = tweak.clone();
        for (int j = 0; j < m; j++) {
            xor(mp, 0, x, j * BLOCK, mp, 0, BLOCK);
        }
        byte[] mc = aes(aes, mp);
        byte[] mix = new byte[BLOCK];
        xor(mp, 0, mc, 0, mix, 0, BLOCK);

        // CCC_j = PPP_j xor 2^j * M for j >= 1; CCC_0 = MC xor T xor (xor of those).
        byte[] first = new byte[BLOCK];
        xor(mc, 0, tweak, 0, first, 0, BLOCK);
        for (int j = 1; j < m; j++) {
            times2(mix, 0);
            xor(x, j * BLOCK, mix, 0, x, j * BLOCK, BLOCK);
            xor(first, 0, x, j * BLOCK, first, 0, BLOCK);
        }
        System.arraycopy(first, 0, x, 0, BLOCK);

        // Last pass: C_j = AES(CCC_j) xor mask_j.
        x = aes(aes, x);
        xor(x, 0, masks, 0, x, 0, data.length);
        return x;
    }

    /**
     * Doubling in GF(2^128) as EME defines it: byte 0 is the least significant,
     * so the carry leaves the top bit of byte 15 and reduces into byte 0 (unlike
     * CMAC's big-endian dbl).
     */
    static void times2(byte[] block, int off) {
        int carry = (block[off + BLOCK - 1] >> 7) & 1;
        for (int i = BLOCK - 1; i > 0; i--) {
            block[off + i] = (byte) ((block[off + i] << 1) | ((block[off + i - 1] & 0xff) >>> 7));
        }
        block[off] = (byte) ((block[off] << 1) ^ (carry * 0x87));
    }

    private static void xor(byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (byte) (a[aOff + i] ^ b[bOff + i]);
        }
    }

    private static byte[] aes(Cipher aes, byte[] in) {
        try {
            return aes.doFinal(in);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES failed", impossible);
        }
    }
}
