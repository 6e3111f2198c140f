/**
 * gocryptfs's on-disk format ({@code org.panfuse.crypt.format}: key file,
 * scrypt/HKDF keys, AES-SIV content blocks, EME names) and the filesystems on
 * it ({@code org.panfuse.crypt.view}: the encrypted reverse view, the
 * decrypting view and the no-mount restore).
 */
module org.panfuse.crypt {
    requires transitive org.panfuse.fs;
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires com.google.gson;

    exports org.panfuse.crypt.format;
    exports org.panfuse.crypt.view;

    opens org.panfuse.crypt.format to com.google.gson;
}
