package org.panfuse.crypt.format;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES-CMAC (RFC 4493) on the JDK's AES, built for S2V's hot path: the whole
 * blocks of a message go through one CBC cipher with a zero IV (intrinsified,
 * and reset to that IV by every doFinal, so it is initialized once), and only the
 * last one or two blocks are finished by hand with a single-block ECB cipher.
 * Nothing is allocated per message. Not thread-safe.
 */
final class Cmac {
    static final int BLOCK = 16;
    private static final int RB = 0x87;

    private final Cipher cbc;
    private final Cipher ecb;
    /** RFC 4493's subkeys K1 (last block whole) and K2 (last block padded). */
    private final byte[] wholeSubkey = new byte[BLOCK];
    private final byte[] paddedSubkey = new byte[BLOCK];
    /** Where CBC writes; only the last block (the chaining value) is kept. */
    private final byte[] cbcOut;
    private final byte[] chain = new byte[BLOCK];
    private final byte[] tail = new byte[2 * BLOCK];

    /** @param bulk how many bytes one CBC call takes at most, a multiple of 16 */
    Cmac(SecretKey key, int bulk) {
        if (bulk <= 0 || bulk % BLOCK != 0) {
            throw new IllegalArgumentException("bulk " + bulk + " is not a positive multiple of 16");
        }
        try {
            cbc = Cipher.getInstance("AES/CBC/NoPadding");
            cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[BLOCK]));
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, key);
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("AES is not available", missing);
        }
        cbcOut = new byte[bulk];
        encryptBlock(wholeSubkey, 0, wholeSubkey, 0);
        dbl(wholeSubkey);
        System.arraycopy(wholeSubkey, 0, paddedSubkey, 0, BLOCK);
        dbl(paddedSubkey);
    }

    /** Doubling in GF(2^128) with the block read as a big-endian number (RFC 4493 and 5297's dbl). */
    static void dbl(byte[] block) {
        int carry = (block[0] >> 7) & 1;
        for (int i = 0; i < BLOCK - 1; i++) {
            block[i] = (byte) ((block[i] << 1) | ((block[i + 1] & 0xff) >>> 7));
        }
        // Multiplying instead of branching keeps the time independent of the secret bit.
        block[BLOCK - 1] = (byte) ((block[BLOCK - 1] << 1) ^ (carry * RB));
    }

    /** AES under this CMAC's key, one block; {@code in} and {@code out} may be the same. */
    void encryptBlock(byte[] in, int inOff, byte[] out, int outOff) {
        try {
            ecb.doFinal(in, inOff, BLOCK, out, outOff);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES failed on one block", impossible);
        }
    }

    /** CMAC of {@code m[off, off+len)} into {@code out[outOff, outOff+16)}. */
    void mac(byte[] m, int off, int len, byte[] out, int outOff) {
        int lastLength = len == 0 ? 0 : (len - 1) % BLOCK + 1;
        int whole = len - lastLength;
        chainWholeBlocks(m, off, whole);
        finish(m, off + whole, lastLength, out, outOff);
    }

    /**
     * CMAC of the message with its last 16 bytes XORed with {@code d} (RFC 5297's
     * "xorend", S2V's last step for a plaintext of 16 bytes or more), without
     * touching {@code m}. The XOR can straddle two CMAC blocks, so the blocks
     * before it are chained in bulk and the 16 to 31 bytes after copied aside.
     */
    void macXorEnd(byte[] m, int off, int len, byte[] d, byte[] out, int outOff) {
        if (len < BLOCK) {
            throw new IllegalArgumentException("xorend needs 16 bytes or more, not " + len);
        }
        int untouched = (len - BLOCK) / BLOCK * BLOCK;
        chainWholeBlocks(m, off, untouched);
        int rest = len - untouched;
        System.arraycopy(m, off + untouched, tail, 0, rest);
        for (int i = 0; i < BLOCK; i++) {
            tail[rest - BLOCK + i] ^= d[i];
        }
        if (rest > BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                chain[i] ^= tail[i];
            }
            encryptBlock(chain, 0, chain, 0);
            finish(tail, BLOCK, rest - BLOCK, out, outOff);
        } else {
            finish(tail, 0, BLOCK, out, outOff);
        }
    }

    /** Sets the chaining value to the CBC-MAC of {@code len} bytes, a multiple of 16 (zero for none). */
    private void chainWholeBlocks(byte[] m, int off, int len) {
        if (len == 0) {
            Arrays.fill(chain, (byte) 0);
            return;
        }
        try {
            while (len > cbcOut.length) {
                cbc.update(m, off, cbcOut.length, cbcOut, 0);
                off += cbcOut.length;
                len -= cbcOut.length;
            }
            // doFinal also puts the cipher back to its zero IV for the next message.
            cbc.doFinal(m, off, len, cbcOut, 0);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES-CBC failed on whole blocks", impossible);
        }
        System.arraycopy(cbcOut, len - BLOCK, chain, 0, BLOCK);
    }

    /** Folds in the last block ({@code length} 0..16 bytes, padded if short) and writes the tag. */
    private void finish(byte[] m, int off, int length, byte[] out, int outOff) {
        for (int i = 0; i < length; i++) {
            chain[i] ^= m[off + i];
        }
        byte[] subkey = wholeSubkey;
        if (length < BLOCK) {
            chain[length] ^= (byte) 0x80;
            subkey = paddedSubkey;
        }
        for (int i = 0; i < BLOCK; i++) {
            chain[i] ^= subkey[i];
        }
        encryptBlock(chain, 0, out, outOff);
    }
}
