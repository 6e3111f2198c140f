package org.panfuse.crypt.view;

import static org.panfuse.crypt.format.ContentCipher.BLOCK_OVERHEAD;
import static org.panfuse.crypt.format.ContentCipher.CIPHER_BLOCK;
import static org.panfuse.crypt.format.ContentCipher.HEADER_LENGTH;
import static org.panfuse.crypt.format.ContentCipher.PLAIN_BLOCK;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.crypt.format.BlockCipher;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.crypt.format.PathIv;

/**
 * The reverse view's read path, one per worker thread: a read of ciphertext
 * bytes [offset, offset + size) becomes one pread of the plaintext blocks it
 * covers, each block encrypted as gocryptfs -reverse does, and the wanted
 * slice copied out. Its buffers grow to the largest read seen and are then
 * reused: nothing is allocated per request. The kernel sends several reads of
 * a file at once (readahead), so the workers encrypt in parallel.
 */
final class EncryptingReader {
    private final BlockCipher cipher;
    private final byte[] nonce = new byte[16];
    private final PreadBuffer plain = new PreadBuffer();
    private byte[] encrypted = new byte[0];

    EncryptingReader(ContentCipher content) {
        this.cipher = content.newBlockCipher();
    }

    /** Writes the ciphertext bytes at [offset, offset + size) of {@code file} into {@code out}; returns how many (fewer at the end). */
    long read(EncryptedFile file, long offset, long size, MemorySegment out) {
        long written = 0;
        if (offset < HEADER_LENGTH) {
            int n = (int) Math.min(HEADER_LENGTH - offset, size);
            MemorySegment.copy(file.header(), (int) offset, out, ValueLayout.JAVA_BYTE, 0, n);
            written = n;
        }
        long start = Math.max(offset, HEADER_LENGTH);
        long end = offset + size;
        if (end <= start) {
            return written;
        }
        long firstBlock = (start - HEADER_LENGTH) / CIPHER_BLOCK;
        long lastBlock = (end - 1 - HEADER_LENGTH) / CIPHER_BLOCK;
        int blocks = (int) (lastBlock - firstBlock + 1);
        int plainLength = plain.read(file.fd(), firstBlock * PLAIN_BLOCK, blocks * PLAIN_BLOCK);
        if (encrypted.length < blocks * CIPHER_BLOCK) {
            encrypted = new byte[blocks * CIPHER_BLOCK];
        }
        int encryptedLength = 0;
        for (int i = 0; i * PLAIN_BLOCK < plainLength; i++) {
            int n = Math.min(PLAIN_BLOCK, plainLength - i * PLAIN_BLOCK);
            long blockNo = firstBlock + i;
            PathIv.blockIv(file.block0Iv(), blockNo, nonce);
            cipher.encrypt(plain.bytes, i * PLAIN_BLOCK, n, blockNo, file.fileId(), nonce, encrypted, i * CIPHER_BLOCK);
            encryptedLength += n + BLOCK_OVERHEAD;
        }
        int skip = (int) (start - HEADER_LENGTH - firstBlock * CIPHER_BLOCK);
        int take = (int) Math.min(end - start, encryptedLength - skip);
        if (take > 0) {
            MemorySegment.copy(encrypted, skip, out, ValueLayout.JAVA_BYTE, written, take);
            written += take;
        }
        return written;
    }
}
