package org.panfuse.benchmarks;

/** The two cache settings every workload runs in. */
public enum Setting {
    /** Each filesystem as it comes, with its own default options. */
    DEFAULT,
    /**
     * Caching off and otherwise matched, so that the request path itself is
     * compared: passthrough_hp --nocache, passthrough_ll -o cache=never,
     * panfuse --cache=never (bare: unchanged, the page cache is the kernel's).
     */
    UNCACHED
}
