package org.panfuse.crypt.format;

/**
 * The password did not unlock the key file: the AES-GCM tag over the wrapped
 * master key did not verify. gocryptfs cannot tell a wrong password from a
 * damaged EncryptedKey either.
 */
public final class WrongPasswordException extends FormatException {
    private static final long serialVersionUID = 1L;

    /** The failure, with the message "wrong password". */
    public WrongPasswordException() {
        super("wrong password");
    }
}
