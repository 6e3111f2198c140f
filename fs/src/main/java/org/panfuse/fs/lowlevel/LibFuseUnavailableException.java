package org.panfuse.fs.lowlevel;

/** libfuse3 cannot be loaded on this machine; the message says what to install. */
public final class LibFuseUnavailableException extends RuntimeException {
    public LibFuseUnavailableException(String message) {
        super(message);
    }
}
