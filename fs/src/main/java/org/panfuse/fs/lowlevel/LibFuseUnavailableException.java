package org.panfuse.fs.lowlevel;

/**
 * libfuse3 cannot be used on this machine: it is not installed (the message
 * says what to install), or this is not the platform the bindings were made
 * for, x86_64 Linux with glibc (the message names this one).
 */
public final class LibFuseUnavailableException extends RuntimeException {
    /**
     * A machine that cannot run libfuse3.
     *
     * @param message one line saying why, and what to install where that helps
     */
    public LibFuseUnavailableException(String message) {
        super(message);
    }
}
