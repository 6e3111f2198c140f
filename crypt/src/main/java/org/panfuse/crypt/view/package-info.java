/**
 * The filesystems on gocryptfs's format: the encrypted reverse view of
 * plaintext sources, the decrypting view of a backup, and the restore of
 * chosen paths from a backup without mounting anything.
 */
package org.panfuse.crypt.view;
