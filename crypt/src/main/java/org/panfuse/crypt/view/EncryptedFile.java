package org.panfuse.crypt.view;

import org.panfuse.crypt.format.ContentCipher;

/**
 * A source file open in the reverse view: its descriptor and what gocryptfs
 * -reverse derives from the file's encrypted path (the file ID in the header
 * and the first block's IV).
 */
record EncryptedFile(int fd, byte[] header, byte[] fileId, byte[] block0Iv, String viewPath) {
    static EncryptedFile of(int fd, byte[] fileId, byte[] block0Iv, String viewPath) {
        byte[] header = new byte[ContentCipher.HEADER_LENGTH];
        ContentCipher.header(fileId, header, 0);
        return new EncryptedFile(fd, header, fileId, block0Iv, viewPath);
    }
}
