package org.panfuse.fs.passthrough;

/**
 * How long the kernel may trust what it was told, as in libfuse's
 * passthrough examples.
 */
public enum CachePolicy {
    /**
     * Names and attributes are not cached, and file data only while a file is
     * open (as libfuse's passthrough_hp --nocache). The source may change
     * behind the mount's back.
     */
    NEVER(0.0),
    /** Names and attributes for one second; file data across opens while the file's mtime and size stay the same. */
    AUTO(1.0),
    /** Names and attributes for a day and data across opens: only for sources nobody else changes. */
    ALWAYS(86400.0);

    final double timeout;

    CachePolicy(double timeout) {
        this.timeout = timeout;
    }
}
