package org.panfuse.crypt.format;

/**
 * Encrypted data that failed to authenticate or to decode: a content block, a
 * file header, a name or a symlink target. Checked, because every reader of
 * encrypted data has to decide what the user sees then (EIO, ENOENT, a
 * skipped entry). The message says what failed, never a key or plaintext.
 */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A failure to authenticate or decode.
     *
     * @param message what failed, one line, without keys or plaintext
     */
    public AuthenticationException(String message) {
        super(message);
    }
}
