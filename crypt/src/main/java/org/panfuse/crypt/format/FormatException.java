package org.panfuse.crypt.format;

/**
 * Something in gocryptfs's format that panfuse cannot use: a key file it cannot
 * read, a master key that does not parse. The message is one line meant for the
 * user, without a path (the caller knows which file it read) and without any
 * secret.
 */
public class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A format panfuse cannot use.
     *
     * @param message one line for the user, without a path or a secret
     */
    public FormatException(String message) {
        super(message);
    }

    /**
     * A format panfuse cannot use, found through another exception.
     *
     * @param message one line for the user, without a path or a secret
     * @param cause   what was thrown while reading it
     */
    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
