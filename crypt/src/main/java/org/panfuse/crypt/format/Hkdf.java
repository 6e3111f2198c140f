package org.panfuse.crypt.format;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869) without salt, as gocryptfs derives its working keys
 * (feature flag HKDF): one key per purpose, told apart by the info string.
 */
final class Hkdf {
    /** Info for the EME key that encrypts names (32 bytes). */
    static final String EME_NAMES = "EME filename encryption";
    /** Info for the AES-SIV key that encrypts contents and symlinks (64 bytes). */
    static final String SIV_CONTENT = "AES-SIV file content encryption";
    /** Info for the AES-GCM key; in the key file it wraps the master key (32 bytes). */
    static final String GCM_CONTENT = "AES-GCM file content encryption";

    private Hkdf() {
    }

    /** {@code length} bytes derived from {@code secret} for {@code info}; the caller wipes them. */
    static byte[] derive(byte[] secret, String info, int length) {
        return derive(secret, null, info.getBytes(StandardCharsets.US_ASCII), length);
    }

    /** The general form, salt included, for the RFC's test vectors. */
    static byte[] derive(byte[] secret, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
