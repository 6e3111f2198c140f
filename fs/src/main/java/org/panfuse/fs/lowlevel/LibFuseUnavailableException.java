package org.panfuse.fs.lowlevel;

/**
 * libfuse3 cannot be used on this machine: it is not installed (the message
 * says what to install), or this is not the platform the bindings were made
 * for, x86_64 Linux with glibc (the message names this one).
 */
public final class LibFuseUnavailableException extends RuntimeException {
    public LibFuseUnavailableException(String message) {
        super(message);
    }
}
