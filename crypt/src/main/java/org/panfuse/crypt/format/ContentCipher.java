package org.panfuse.crypt.format;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * File contents and symlink targets under the AES-SIV key derived from a
 * master key. A file is empty, or an 18-byte header (version 2 || file ID)
 * followed by blocks of 4096 plaintext bytes, each stored as 4128 (the last one
 * shorter). Thread-safe: it hands each thread its own {@link BlockCipher}, the
 * one that does the work. The 64-byte key is kept off the heap and wiped on
 * {@link #close}; the key schedules inside the JDK's ciphers cannot be wiped and
 * go with the garbage collector.
 */
public final class ContentCipher implements AutoCloseable {
    /** The bytes of a file's header: version (2) and file ID (16). */
    public static final int HEADER_LENGTH = 18;
    /** The plaintext bytes of a whole block. */
    public static final int PLAIN_BLOCK = 4096;
    /** The stored bytes of a whole block: nonce, tag and ciphertext. */
    public static final int CIPHER_BLOCK = 4128;
    /** What a block adds to its plaintext: the 16-byte nonce and the 16-byte tag. */
    public static final int BLOCK_OVERHEAD = 32;
    /** The bytes of a file ID. */
    public static final int ID_LENGTH = 16;
    /** The only header version gocryptfs writes and reads. */
    public static final int HEADER_VERSION = 2;
    /** A symlink is sealed as block 0 of no file: block number 0 and no file ID. */
    private static final byte[] SYMLINK_AD = new byte[8];
    private static final int NONCE = 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(AesSiv.KEY_LENGTH);
    private AesSiv symlinkSiv;
    private boolean closed;

    /** @param sivKey the 64-byte AES-SIV key; copied, so the caller wipes its array */
    ContentCipher(byte[] sivKey) {
        if (sivKey.length != AesSiv.KEY_LENGTH) {
            throw new IllegalArgumentException("an AES-SIV key has 64 bytes, not " + sivKey.length);
        }
        MemorySegment.copy(sivKey, 0, key, ValueLayout.JAVA_BYTE, 0, AesSiv.KEY_LENGTH);
    }

    /**
     * {@return the stored size of a file with {@code plainSize} bytes: 0 for
     * 0, else the header, the plaintext and each block's 32 bytes}
     *
     * @param plainSize the plaintext size, 0 or more
     * @throws IllegalArgumentException if {@code plainSize} is negative
     * @throws ArithmeticException      if the result overflows a long
     */
    public static long cipherSize(long plainSize) {
        if (plainSize < 0) {
            throw new IllegalArgumentException("negative size " + plainSize);
        }
        if (plainSize == 0) {
            return 0;
        }
        long blocks = (plainSize - 1) / PLAIN_BLOCK + 1;
        return Math.addExact(Math.addExact(HEADER_LENGTH, plainSize), Math.multiplyExact(blocks, (long) BLOCK_OVERHEAD));
    }

    /**
     * The plaintext size of a stored file of {@code cipherSize} bytes, as
     * gocryptfs's CipherSizeToPlainSize computes it, best guesses for impossible
     * sizes included: up to the header is 0; a last block of 1..32 bytes (no room
     * for plaintext) counts as 1 byte of plaintext; more overhead than bytes is 0.
     *
     * @param cipherSize the stored size, 0 or more
     * @return the plaintext size
     * @throws IllegalArgumentException if {@code cipherSize} is negative
     */
    public static long plainSize(long cipherSize) {
        if (cipherSize < 0) {
            throw new IllegalArgumentException("negative size " + cipherSize);
        }
        if (cipherSize <= HEADER_LENGTH) {
            return 0;
        }
        long lastBlock = (cipherSize - HEADER_LENGTH) % CIPHER_BLOCK;
        if (lastBlock > 0 && lastBlock <= BLOCK_OVERHEAD) {
            cipherSize = cipherSize - lastBlock + BLOCK_OVERHEAD + 1;
        }
        long blocks = (cipherSize - 1 - HEADER_LENGTH) / CIPHER_BLOCK + 1;
        long overhead = BLOCK_OVERHEAD * blocks + HEADER_LENGTH;
        return overhead > cipherSize ? 0 : cipherSize - overhead;
    }

    /**
     * Writes the 18-byte header of the file {@code fileId} at {@code out[off]}.
     *
     * @param fileId the file's 16-byte ID
     * @param out    where the header is written
     * @param off    where in {@code out} it starts
     * @throws IllegalArgumentException       if {@code fileId} is not 16 bytes
     * @throws ArrayIndexOutOfBoundsException if {@code out} has no room for it at {@code off}
     */
    public static void header(byte[] fileId, byte[] out, int off) {
        if (fileId.length != ID_LENGTH) {
            throw new IllegalArgumentException("a file ID is 16 bytes, not " + fileId.length);
        }
        out[off] = (byte) (HEADER_VERSION >>> 8);
        out[off + 1] = (byte) HEADER_VERSION;
        System.arraycopy(fileId, 0, out, off + 2, ID_LENGTH);
    }

    /**
     * The file ID in the header at {@code in[off]} (18 bytes).
     *
     * @param in  the stored bytes
     * @param off where in {@code in} the header starts
     * @return the 16-byte file ID, a copy
     * @throws IndexOutOfBoundsException if {@code in} has no 18 bytes at {@code off}
     * @throws AuthenticationException if the version is not 2 or the ID is all zero
     *         (as gocryptfs: a zeroed header is damage, not a file)
     */
    public static byte[] parseHeader(byte[] in, int off) throws AuthenticationException {
        Objects.checkFromIndexSize(off, HEADER_LENGTH, in.length);
        int version = (in[off] & 0xff) << 8 | in[off + 1] & 0xff;
        if (BlockCipher.isZero(in, off, HEADER_LENGTH)) {
            throw new AuthenticationException("file header is all zero");
        }
        if (version != HEADER_VERSION) {
            throw new AuthenticationException("file header has version " + version + ", not " + HEADER_VERSION);
        }
        if (BlockCipher.isZero(in, off + 2, ID_LENGTH)) {
            throw new AuthenticationException("file header has an all-zero file ID");
        }
        return Arrays.copyOfRange(in, off + 2, off + HEADER_LENGTH);
    }

    /**
     * {@return a block cipher for the calling thread, to keep and reuse for
     * every block it handles} It works on after {@link #close()}.
     *
     * @throws IllegalStateException if this cipher is closed
     */
    public BlockCipher newBlockCipher() {
        return new BlockCipher(newSiv());
    }

    /**
     * A symlink target as reverse mode shows it: unpadded base64url of nonce ||
     * AES-SIV(target) sealed as block 0 of no file. Reverse mode's nonce is
     * {@link PathIv#derive} with {@link PathIv#SYMLINKIV}. gocryptfs answers
     * ENAMETOOLONG where the result exceeds 4096 characters (a target over
     * about 3040 bytes); that is for the caller to decide.
     *
     * @param target the target's bytes, not empty
     * @param nonce  the 16-byte nonce, not all zero
     * @return the encrypted target
     * @throws IllegalArgumentException if the target is empty, or the nonce is not 16 bytes or all zero
     * @throws IllegalStateException    if this cipher is closed
     */
    public String encryptSymlink(byte[] target, byte[] nonce) {
        if (target.length == 0) {
            throw new IllegalArgumentException("a symlink target is never empty");
        }
        if (nonce.length != NONCE || BlockCipher.isZero(nonce, 0, NONCE)) {
            throw new IllegalArgumentException("a symlink nonce is 16 bytes, not all zero");
        }
        byte[] out = new byte[NONCE + AesSiv.BLOCK + target.length];
        System.arraycopy(nonce, 0, out, 0, NONCE);
        synchronized (this) {
            symlinkSiv().seal(SYMLINK_AD, 0, SYMLINK_AD.length, nonce, 0, NONCE, target, 0, target.length, out, NONCE);
        }
        return Raw64.encode(out);
    }

    /**
     * The target bytes of an encrypted symlink target.
     *
     * @param cipherTarget the symlink's target as stored
     * @return the plaintext target's bytes
     * @throws IllegalStateException   if this cipher is closed
     * @throws AuthenticationException if it is not unpadded base64url, too short,
     *         has an all-zero nonce, fails to authenticate, or opens to nothing
     */
    public byte[] decryptSymlink(String cipherTarget) throws AuthenticationException {
        byte[] sealed = Raw64.decode(cipherTarget);
        if (sealed == null) {
            throw new AuthenticationException("symlink target is not unpadded base64url");
        }
        if (sealed.length <= BLOCK_OVERHEAD) {
            throw new AuthenticationException("symlink target has " + sealed.length
                    + " bytes, no more than its 32 bytes of nonce and tag");
        }
        if (BlockCipher.isZero(sealed, 0, NONCE)) {
            throw new AuthenticationException("symlink target has an all-zero nonce");
        }
        byte[] target = new byte[sealed.length - BLOCK_OVERHEAD];
        boolean authentic;
        synchronized (this) {
            authentic = symlinkSiv().open(SYMLINK_AD, 0, SYMLINK_AD.length, sealed, 0, NONCE, sealed, NONCE,
                    sealed.length - NONCE, target, 0);
        }
        if (!authentic) {
            throw new AuthenticationException("symlink target failed to authenticate");
        }
        return target;
    }

    /** Wipes the key; block ciphers already handed out keep working until dropped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        symlinkSiv = null;
        key.fill((byte) 0);
        arena.close();
    }

    private AesSiv symlinkSiv() {
        if (symlinkSiv == null) {
            symlinkSiv = newSiv();
        }
        return symlinkSiv;
    }

    private synchronized AesSiv newSiv() {
        if (closed) {
            throw new IllegalStateException("content cipher already closed");
        }
        byte[] bytes = key.toArray(ValueLayout.JAVA_BYTE);
        try {
            return new AesSiv(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
