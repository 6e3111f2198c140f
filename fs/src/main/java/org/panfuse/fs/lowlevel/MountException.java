package org.panfuse.fs.lowlevel;

/** libfuse refused to create or mount the session. */
public final class MountException extends RuntimeException {
    public MountException(String message) {
        super(message);
    }
}
