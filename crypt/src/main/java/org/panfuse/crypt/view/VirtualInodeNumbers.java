package org.panfuse.crypt.view;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Inode numbers for what has no source inode of its own: virtual files
 * (gocryptfs.diriv, long-name files, gocryptfs.conf) and each path of a
 * hard-linked file (each is its own ciphertext file). Derived from the path,
 * so they are the same at every mount (backup programs such as restic and
 * borg compare inode numbers to spot changes), with the top bit set so they
 * never meet a source's numbers (which stay below 2^63).
 */
final class VirtualInodeNumbers {
    private VirtualInodeNumbers() {
    }

    static long of(String viewPath) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    ("panfuse view inode\0" + viewPath).getBytes(StandardCharsets.UTF_8));
            long n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | (h[i] & 0xff);
            }
            return n | Long.MIN_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
