package org.panfuse.crypt.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Seals and opens gocryptfs content blocks: nonce (16) || V (16) || CTR
 * ciphertext, AES-SIV with the associated data [block number (8, big-endian)
 * || file ID (16), nonce]. One per thread, reused for every block: it holds
 * its ciphers and scratch, and allocates nothing per block. Get one from
 * {@link ContentCipher#newBlockCipher()}. Not thread-safe.
 */
public final class BlockCipher {
    private static final int NONCE = 16;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final AesSiv siv;
    /** The block's associated data: block number || file ID. */
    private final byte[] ad = new byte[8 + ContentCipher.ID_LENGTH];

    BlockCipher(AesSiv siv) {
        this.siv = siv;
    }

    /**
     * Writes block {@code blockNo} of the file {@code fileId}, {@code plainLength
     * + 32} bytes (nonce || V || C), at {@code out[outOff]}. {@code plainLength}
     * is 1..4096 (an empty file has no blocks); {@code out} must not overlap
     * {@code plain}. Reverse mode's nonce is {@link PathIv#blockIv}; it must not
     * be all zero, which gocryptfs refuses to open.
     *
     * @param plain       the plaintext
     * @param plainOff    where the block starts in {@code plain}
     * @param plainLength the block's plaintext length, 1..4096
     * @param blockNo     the block's number in the file, from 0
     * @param fileId      the file's 16-byte ID, as in its header
     * @param nonce       the block's 16-byte nonce, not all zero
     * @param out         where the stored block is written
     * @param outOff      where in {@code out} it starts
     * @throws IllegalArgumentException  if a length is out of range, or the nonce or file ID is not 16 bytes
     *                                   (or the nonce is all zero)
     * @throws IndexOutOfBoundsException if a range is not inside its array
     */
    public void encrypt(byte[] plain, int plainOff, int plainLength, long blockNo, byte[] fileId, byte[] nonce,
                        byte[] out, int outOff) {
        if (plainLength < 1 || plainLength > ContentCipher.PLAIN_BLOCK) {
            throw new IllegalArgumentException("a block has 1 to 4096 plaintext bytes, not " + plainLength);
        }
        Objects.checkFromIndexSize(plainOff, plainLength, plain.length);
        Objects.checkFromIndexSize(outOff, plainLength + ContentCipher.BLOCK_OVERHEAD, out.length);
        if (nonce.length != NONCE || isZero(nonce, 0, NONCE)) {
            throw new IllegalArgumentException("a block nonce is 16 bytes, not all zero");
        }
        setAssociatedData(blockNo, fileId);
        System.arraycopy(nonce, 0, out, outOff, NONCE);
        siv.seal(ad, 0, ad.length, nonce, 0, NONCE, plain, plainOff, plainLength, out, outOff + NONCE);
    }

    /**
     * Opens block {@code blockNo} of the file {@code fileId} ({@code cipherLength}
     * 32..4128 bytes, as stored) into {@code out[outOff]} and returns the plaintext
     * length, {@code cipherLength - 32}. A whole block of zero bytes opens as 4096
     * zero bytes, as in gocryptfs, where it is a hole in a sparse file.
     * {@code out} must not overlap {@code cipher}.
     *
     * @param cipher       the stored bytes
     * @param cipherOff    where the block starts in {@code cipher}
     * @param cipherLength the stored block's length, at most 4128
     * @param blockNo      the block's number in the file, from 0
     * @param fileId       the file's 16-byte ID, from its header
     * @param out          where the plaintext is written
     * @param outOff       where in {@code out} it starts
     * @return the plaintext length, {@code cipherLength - 32}
     * @throws IllegalArgumentException  if {@code cipherLength} is over 4128, or the file ID is not 16 bytes
     * @throws IndexOutOfBoundsException if a range is not inside its array
     * @throws AuthenticationException if the block is shorter than 32 bytes, has
     *         an all-zero nonce, or does not authenticate (tampered, or another
     *         block number or file); {@code out} then holds no plaintext
     */
    public int decrypt(byte[] cipher, int cipherOff, int cipherLength, long blockNo, byte[] fileId, byte[] out,
                       int outOff) throws AuthenticationException {
        Objects.checkFromIndexSize(cipherOff, cipherLength, cipher.length);
        if (cipherLength > ContentCipher.CIPHER_BLOCK) {
            throw new IllegalArgumentException("a block has at most 4128 bytes, not " + cipherLength);
        }
        if (cipherLength < ContentCipher.BLOCK_OVERHEAD) {
            throw new AuthenticationException("block " + Long.toUnsignedString(blockNo) + " has " + cipherLength
                    + " bytes, fewer than its 32 bytes of nonce and tag");
        }
        int plainLength = cipherLength - ContentCipher.BLOCK_OVERHEAD;
        Objects.checkFromIndexSize(outOff, plainLength, out.length);
        if (isZero(cipher, cipherOff, NONCE)) {
            if (cipherLength == ContentCipher.CIPHER_BLOCK && isZero(cipher, cipherOff, cipherLength)) {
                Arrays.fill(out, outOff, outOff + plainLength, (byte) 0);
                return plainLength;
            }
            throw new AuthenticationException("block " + Long.toUnsignedString(blockNo) + " has an all-zero nonce");
        }
        setAssociatedData(blockNo, fileId);
        if (!siv.open(ad, 0, ad.length, cipher, cipherOff, NONCE, cipher, cipherOff + NONCE, cipherLength - NONCE,
                out, outOff)) {
            throw new AuthenticationException("block " + Long.toUnsignedString(blockNo) + " failed to authenticate");
        }
        return plainLength;
    }

    private void setAssociatedData(long blockNo, byte[] fileId) {
        if (fileId.length != ContentCipher.ID_LENGTH) {
            throw new IllegalArgumentException("a file ID is 16 bytes, not " + fileId.length);
        }
        LONG_BE.set(ad, 0, blockNo);
        System.arraycopy(fileId, 0, ad, 8, ContentCipher.ID_LENGTH);
    }

    static boolean isZero(byte[] bytes, int off, int len) {
        int any = 0;
        for (int i = 0; i < len; i++) {
            any |= bytes[off + i];
        }
        return any == 0;
    }
}
