package org.panfuse.crypt.view;

/**
 * A backup file open for decryption: its descriptor, its file ID (read from
 * its header and checked against its path), and its plaintext path for the
 * log lines that name a damaged block. {@code fileId} is null for an empty file.
 */
record DecryptedFile(int fd, byte[] fileId, String plainPath) {
}
