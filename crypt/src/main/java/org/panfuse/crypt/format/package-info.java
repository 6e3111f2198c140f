/**
 * gocryptfs's on-disk format, as its reverse mode writes it: the key file
 * ({@code gocryptfs.conf}), the keys derived from the master key (HKDF), file
 * contents (an 18-byte header, then AES-SIV blocks of 4096 plaintext bytes),
 * names (EME per directory with its DirIV, unpadded base64url, long names) and
 * the IVs that reverse mode derives from encrypted paths. Bytes and keys only:
 * no FUSE, no files.
 */
package org.panfuse.crypt.format;
