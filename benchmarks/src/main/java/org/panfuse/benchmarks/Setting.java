package org.panfuse.benchmarks;

/** The cache settings a workload runs in (run.sh runs default and uncached unless told). */
public enum Setting {
    /** Each filesystem as it comes, with its own default options. */
    DEFAULT,
    /**
     * Caching off and otherwise matched, so that the request path itself is
     * compared: passthrough_hp --nocache, passthrough_ll -o cache=never,
     * panfuse --cache=never (bare: unchanged, the page cache is the kernel's).
     */
    UNCACHED,
    /**
     * Caching on and matched to passthrough_hp's default (names and attributes
     * for a day, file data kept across opens): passthrough_hp as it comes,
     * passthrough_ll -o cache=always, panfuse --cache=always.
     */
    MATCHED
}
