package org.panfuse.crypt.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The IVs of gocryptfs's reverse mode, which has nowhere to store random ones:
 * each is derived from the file's ENCRYPTED path relative to the root ('/'
 * between names, no leading slash, "" for the root itself) and a purpose, as
 * the first 16 bytes of SHA-256(path || 0x00 || purpose). The NUL cannot occur
 * in a path, so no path and purpose collide with another pair.
 */
public final class PathIv {
    /** A directory's DirIV: the EME tweak of its entries' names, and its virtual gocryptfs.diriv. */
    public static final String DIRIV = "DIRIV";
    /** A regular file's ID in its header, part of every block's associated data. */
    public static final String FILEID = "FILEID";
    /** The nonce of a symlink target's encryption. */
    public static final String SYMLINKIV = "SYMLINKIV";
    /** The nonce of content block 0; block b's is this plus b (see {@link #blockIv}). */
    public static final String BLOCK0IV = "BLOCK0IV";

    /** The bytes of every IV derived here. */
    public static final int LENGTH = 16;

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private PathIv() {
    }

    /**
     * {@return the 16 bytes for {@code purpose} of the file at {@code encryptedPath}}
     *
     * @param encryptedPath the file's encrypted path, as bytes: '/'-separated, no leading '/', "" for the root
     * @param purpose       one of {@link #DIRIV}, {@link #FILEID}, {@link #SYMLINKIV}, {@link #BLOCK0IV}
     */
    public static byte[] derive(byte[] encryptedPath, String purpose) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is not available", missing);
        }
        sha256.update(encryptedPath);
        sha256.update((byte) 0);
        sha256.update(purpose.getBytes(StandardCharsets.US_ASCII));
        byte[] iv = new byte[LENGTH];
        System.arraycopy(sha256.digest(), 0, iv, 0, LENGTH);
        return iv;
    }

    /**
     * {@return {@link #derive(byte[], String)} for a path given as a string (encrypted names are ASCII)}
     *
     * @param encryptedPath the file's encrypted path: '/'-separated, no leading '/', "" for the root
     * @param purpose       one of {@link #DIRIV}, {@link #FILEID}, {@link #SYMLINKIV}, {@link #BLOCK0IV}
     */
    public static byte[] derive(String encryptedPath, String purpose) {
        return derive(encryptedPath.getBytes(StandardCharsets.UTF_8), purpose);
    }

    /**
     * The nonce of content block {@code blockNo}: block 0's with its last 8 bytes,
     * read as a big-endian unsigned number, plus {@code blockNo} (wrapping), into
     * {@code out[0, 16)}. Allocates nothing: called for every block the view encrypts.
     *
     * @param block0Iv block 0's 16-byte nonce ({@link #derive} with {@link #BLOCK0IV})
     * @param blockNo  the block's number, from 0
     * @param out      where the nonce is written, 16 bytes or more
     * @throws IllegalArgumentException if {@code block0Iv} is not 16 bytes or {@code out} is shorter
     */
    public static void blockIv(byte[] block0Iv, long blockNo, byte[] out) {
        if (block0Iv.length != LENGTH || out.length < LENGTH) {
            throw new IllegalArgumentException("block IVs are 16 bytes");
        }
        System.arraycopy(block0Iv, 0, out, 0, 8);
        LONG_BE.set(out, 8, (long) LONG_BE.get(block0Iv, 8) + blockNo);
    }
}
