package org.panfuse.crypt.format;

import java.util.Base64;

/**
 * Unpadded base64url (gocryptfs's flag Raw64, Go's RawURLEncoding): encrypted
 * names, long-name hashes and symlink targets. Decoding is stricter than
 * Java's URL decoder, which takes '=' padding and nonzero unused bits: one
 * byte string has exactly one spelling here, so two directory entries can
 * never decrypt to the same name.
 */
final class Raw64 {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Raw64() {
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    static String encode(byte[] bytes, int off, int len) {
        if (off == 0 && len == bytes.length) {
            return encode(bytes);
        }
        byte[] part = new byte[len];
        System.arraycopy(bytes, off, part, 0, len);
        return encode(part);
    }

    /** The bytes, or null if {@code text} is not the canonical unpadded base64url of any. */
    static byte[] decode(String text) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        // Re-encoding catches '=' and nonzero trailing bits, which the decoder lets through.
        return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
    }
}
