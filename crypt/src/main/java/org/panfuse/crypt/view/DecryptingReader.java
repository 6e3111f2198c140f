package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.EIO;
import static org.panfuse.crypt.format.ContentCipher.BLOCK_OVERHEAD;
import static org.panfuse.crypt.format.ContentCipher.CIPHER_BLOCK;
import static org.panfuse.crypt.format.ContentCipher.HEADER_LENGTH;
import static org.panfuse.crypt.format.ContentCipher.PLAIN_BLOCK;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.crypt.format.AuthenticationException;
import org.panfuse.crypt.format.BlockCipher;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.fs.errno.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read path back to plaintext, one per thread: a read of plaintext
 * [offset, offset + size) is one pread of the ciphertext blocks that hold it,
 * each authenticated and decrypted. A block that fails is an I/O error for
 * the whole read, logged with the file and the block's offset; no byte of it
 * is ever returned.
 */
final class DecryptingReader {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptingReader.class);

    private final BlockCipher cipher;
    private final PreadBuffer encrypted = new PreadBuffer();
    private byte[] plain = new byte[0];

    DecryptingReader(ContentCipher content) {
        this.cipher = content.newBlockCipher();
    }

    /** Writes plaintext [offset, offset + size) of {@code file} into {@code out}; returns how many bytes (fewer at the end). */
    long read(DecryptedFile file, long offset, long size, MemorySegment out) {
        if (file.fileId() == null || size == 0) {
            return 0;
        }
        long firstBlock = offset / PLAIN_BLOCK;
        long lastBlock = (offset + size - 1) / PLAIN_BLOCK;
        int blocks = (int) (lastBlock - firstBlock + 1);
        long cipherOffset = HEADER_LENGTH + firstBlock * CIPHER_BLOCK;
        int length = encrypted.read(file.fd(), cipherOffset, blocks * CIPHER_BLOCK);
        if (plain.length < blocks * PLAIN_BLOCK) {
            plain = new byte[blocks * PLAIN_BLOCK];
        }
        int plainLength = 0;
        for (int i = 0; i * CIPHER_BLOCK < length; i++) {
            int n = Math.min(CIPHER_BLOCK, length - i * CIPHER_BLOCK);
            long blockNo = firstBlock + i;
            try {
                if (n > BLOCK_OVERHEAD && zeroNonce(encrypted.bytes, i * CIPHER_BLOCK)) {
                    throw new AuthenticationException("all-zero nonce");
                }
                plainLength += cipher.decrypt(encrypted.bytes, i * CIPHER_BLOCK, n, blockNo, file.fileId(), plain,
                        i * PLAIN_BLOCK);
            } catch (AuthenticationException e) {
                LOG.warn("{}: block {} (ciphertext offset {}) failed authentication: {}",
                        BackupTree.display(file.plainPath()), blockNo, cipherOffset + (long) i * CIPHER_BLOCK,
                        e.getMessage());
                throw ErrnoException.of(EIO());
            }
            if (n < CIPHER_BLOCK) {
                break;
            }
        }
        int skip = (int) (offset - firstBlock * PLAIN_BLOCK);
        int take = (int) Math.min(size, plainLength - skip);
        if (take <= 0) {
            return 0;
        }
        MemorySegment.copy(plain, skip, out, ValueLayout.JAVA_BYTE, 0, take);
        return take;
    }

    /**
     * gocryptfs's forward mode reads an all-zero nonce's block as a hole; a
     * reverse view never writes one, so in a backup it can only be damage
     * (or zeroed-out data) and is refused.
     */
    private static boolean zeroNonce(byte[] block, int offset) {
        for (int i = 0; i < 16; i++) {
            if (block[offset + i] != 0) {
                return false;
            }
        }
        return true;
    }
}
