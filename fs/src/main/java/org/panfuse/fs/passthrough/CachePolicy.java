package org.panfuse.fs.passthrough;

/**
 * How long the kernel may trust what it was told, as in libfuse's
 * passthrough examples.
 */
public enum CachePolicy {
    /** Nothing is cached: timeouts 0, direct I/O. Every access reaches the source. */
    NEVER(0.0),
    /** Names and attributes for one second; file data until the file changes. */
    AUTO(1.0),
    /** Names and attributes for a day and data across opens: only for sources nobody else changes. */
    ALWAYS(86400.0);

    final double timeout;

    CachePolicy(double timeout) {
        this.timeout = timeout;
    }
}
