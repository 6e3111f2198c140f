package org.panfuse.fs.lowlevel;

/**
 * libfuse refused to create or mount the session. The message is one line:
 * what failed, then libfuse's own reason where it gave one (e.g.
 * {@code fuse: failed to access mountpoint /x: No such file or directory},
 * {@code fuse: unknown option(s): `-o foo'}).
 */
public final class MountException extends RuntimeException {
    /** What libfuse said, possibly empty. */
    private final String reason;

    /**
     * A failure for which libfuse gave no reason of its own.
     *
     * @param message what failed, one line
     */
    public MountException(String message) {
        this(message, "");
    }

    /**
     * A failure with libfuse's reason, which the message carries after the
     * description ({@code description: reason}).
     *
     * @param description what failed
     * @param reason      what libfuse said about it, possibly empty
     */
    public MountException(String description, String reason) {
        super(reason.isEmpty() ? description : description + ": " + reason);
        this.reason = reason;
    }

    /**
     * What libfuse said about the failure, as it logged it (several messages
     * joined with "; "), or an empty string when it said nothing on the
     * mounting thread: e.g. a non-root mount through {@code fusermount3},
     * which prints its own reason on stderr.
     *
     * @return libfuse's reason, or ""
     */
    public String reason() {
        return reason;
    }
}
