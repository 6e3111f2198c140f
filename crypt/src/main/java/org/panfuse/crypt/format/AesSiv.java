package org.panfuse.crypt.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-SIV (RFC 5297), for gocryptfs with a 64-byte key: the first half keys
 * S2V's CMAC, the second half CTR; the output is V || C. Built to seal one
 * content block per call without allocating: CMAC as {@link Cmac} does it, CTR
 * by encrypting a run of counter blocks in one ECB call (the JDK's AES
 * intrinsic pipelines them) and XORing. Re-initializing an AES/CTR cipher per
 * block was about 10% faster but allocates (the JCE clones key and IV, 128
 * bytes a block); S2V's serial CBC-MAC takes three quarters of the time
 * either way. Not thread-safe: one per thread.
 */
final class AesSiv {
    static final int KEY_LENGTH = 64;
    static final int BLOCK = Cmac.BLOCK;
    /** How many bytes one CTR round covers; longer messages take several. */
    static final int CHUNK = 4096;

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_NATIVE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Cmac cmac;
    private final Cipher ctrBlocks;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] keystream = new byte[CHUNK];
    /** CMAC(K1, 0^128): where S2V starts, the same for every message under this key. */
    private final byte[] start = new byte[BLOCK];
    private final byte[] d = new byte[BLOCK];
    private final byte[] adMac = new byte[BLOCK];
    private final byte[] tag = new byte[BLOCK];

    /**
     * @param key K1 || K2: 64 bytes for gocryptfs (AES-256), 32 or 48 also work (the
     *        RFC's vectors use AES-128); copied into the JCE's key objects, so the
     *        caller may wipe it
     */
    AesSiv(byte[] key) {
        if (key.length != 32 && key.length != 48 && key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an AES-SIV key has 32, 48 or 64 bytes, not " + key.length);
        }
        int half = key.length / 2;
        SecretKeySpec macKey = new SecretKeySpec(key, 0, half, "AES");
        SecretKeySpec ctrKey = new SecretKeySpec(key, half, half, "AES");
        cmac = new Cmac(macKey, CHUNK);
        try {
            ctrBlocks = Cipher.getInstance("AES/ECB/NoPadding");
            ctrBlocks.init(Cipher.ENCRYPT_MODE, ctrKey);
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("AES is not available", missing);
        }
        cmac.mac(start, 0, BLOCK, start, 0);
    }

    /**
     * Seals with two associated-data strings (gocryptfs's block AD, then the
     * nonce): writes V || C, {@code length + 16} bytes, at {@code out[outOff]}.
     * {@code out} must not overlap the inputs.
     */
    void seal(byte[] ad1, int ad1Off, int ad1Len, byte[] ad2, int ad2Off, int ad2Len,
              byte[] plain, int off, int length, byte[] out, int outOff) {
        s2vStart();
        s2vAssociated(ad1, ad1Off, ad1Len);
        s2vAssociated(ad2, ad2Off, ad2Len);
        s2vFinish(plain, off, length, out, outOff);
        ctr(out, outOff, plain, off, length, out, outOff + BLOCK);
    }

    /**
     * Opens V || C ({@code length} >= 16 bytes) sealed with the two strings and
     * writes the {@code length - 16} plaintext bytes at {@code out[outOff]}.
     * On a tag mismatch the output is zeroed, so no unauthenticated byte
     * escapes, and false is returned. {@code out} must not overlap the inputs.
     */
    boolean open(byte[] ad1, int ad1Off, int ad1Len, byte[] ad2, int ad2Off, int ad2Len,
                 byte[] sealed, int off, int length, byte[] out, int outOff) {
        int plainLength = length - BLOCK;
        ctr(sealed, off, sealed, off + BLOCK, plainLength, out, outOff);
        s2vStart();
        s2vAssociated(ad1, ad1Off, ad1Len);
        s2vAssociated(ad2, ad2Off, ad2Len);
        s2vFinish(out, outOff, plainLength, tag, 0);
        if (!sameBlock(tag, sealed, off)) {
            Arrays.fill(out, outOff, outOff + plainLength, (byte) 0);
            return false;
        }
        return true;
    }

    /** RFC 5297 with any number of associated-data strings; allocates, for tests and cold paths. */
    byte[] seal(byte[][] associated, byte[] plain) {
        byte[] out = new byte[plain.length + BLOCK];
        s2vStart();
        for (byte[] ad : associated) {
            s2vAssociated(ad, 0, ad.length);
        }
        s2vFinish(plain, 0, plain.length, out, 0);
        ctr(out, 0, plain, 0, plain.length, out, BLOCK);
        return out;
    }

    /** The plaintext, or null if {@code sealed} does not authenticate under {@code associated}. */
    byte[] open(byte[][] associated, byte[] sealed) {
        if (sealed.length < BLOCK) {
            return null;
        }
        byte[] plain = new byte[sealed.length - BLOCK];
        ctr(sealed, 0, sealed, BLOCK, plain.length, plain, 0);
        s2vStart();
        for (byte[] ad : associated) {
            s2vAssociated(ad, 0, ad.length);
        }
        s2vFinish(plain, 0, plain.length, tag, 0);
        if (!sameBlock(tag, sealed, 0)) {
            Arrays.fill(plain, (byte) 0);
            return null;
        }
        return plain;
    }

    private void s2vStart() {
        System.arraycopy(start, 0, d, 0, BLOCK);
    }

    /** D = dbl(D) xor CMAC(ad). */
    private void s2vAssociated(byte[] ad, int off, int len) {
        Cmac.dbl(d);
        cmac.mac(ad, off, len, adMac, 0);
        for (int i = 0; i < BLOCK; i++) {
            d[i] ^= adMac[i];
        }
    }

    /** V = CMAC(plain xorend D), or for a plaintext shorter than a block CMAC(dbl(D) xor pad(plain)). */
    private void s2vFinish(byte[] plain, int off, int len, byte[] v, int vOff) {
        if (len >= BLOCK) {
            cmac.macXorEnd(plain, off, len, d, v, vOff);
            return;
        }
        Cmac.dbl(d);
        for (int i = 0; i < len; i++) {
            d[i] ^= plain[off + i];
        }
        d[len] ^= (byte) 0x80;
        cmac.mac(d, 0, BLOCK, v, vOff);
    }

    /**
     * CTR from Q = V with bits 31 and 63 cleared (RFC 5297 2.6: so that 32-bit
     * counter implementations agree), the counter a 128-bit big-endian number.
     */
    private void ctr(byte[] v, int vOff, byte[] in, int inOff, int len, byte[] out, int outOff) {
        // Both cleared bits lie in V's low 64 bits; the high 64 bits are V's unchanged.
        long high = (long) LONG_BE.get(v, vOff);
        long low = (long) LONG_BE.get(v, vOff + 8) & ~(1L << 63) & ~(1L << 31);
        int done = 0;
        while (done < len) {
            int n = Math.min(CHUNK, len - done);
            int blocks = (n + BLOCK - 1) / BLOCK;
            for (int b = 0; b < blocks; b++) {
                LONG_BE.set(counters, b * BLOCK, high);
                LONG_BE.set(counters, b * BLOCK + 8, low);
                low++;
                if (low == 0) {
                    high++;
                }
            }
            try {
                ctrBlocks.doFinal(counters, 0, blocks * BLOCK, keystream, 0);
            } catch (GeneralSecurityException impossible) {
                throw new IllegalStateException("AES failed on the counter blocks", impossible);
            }
            xor(in, inOff + done, keystream, out, outOff + done, n);
            done += n;
        }
    }

    /** out = in xor keystream, eight bytes at a time. */
    private static void xor(byte[] in, int inOff, byte[] key, byte[] out, int outOff, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONG_NATIVE.get(in, inOff + i) ^ (long) LONG_NATIVE.get(key, i);
            LONG_NATIVE.set(out, outOff + i, x);
        }
        for (; i < n; i++) {
            out[outOff + i] = (byte) (in[inOff + i] ^ key[i]);
        }
    }

    /** Constant-time comparison of the tag with the 16 bytes at {@code other[off]}. */
    private static boolean sameBlock(byte[] tag, byte[] other, int off) {
        int diff = 0;
        for (int i = 0; i < BLOCK; i++) {
            diff |= tag[i] ^ other[off + i];
        }
        return diff == 0;
    }
}
