package org.panfuse.fs.passthrough;

/**
 * How the passthrough serves its source.
 *
 * @param cache              what the kernel may cache
 * @param writebackCache     let the kernel gather writes in its page cache (FUSE_CAP_WRITEBACK_CACHE)
 * @param splice             move file data through pipes (splice) instead of through user memory
 * @param fdCacheSize        O_PATH descriptors kept open at most; 0 picks half of the descriptor limit
 * @param directIo           bypass the kernel's page cache for file data: every read and write reaches the source
 * @param defaultPermissions the mount has {@code default_permissions} (as it must when other users are let in):
 *                           the kernel then also evaluates POSIX ACLs, read from the source (FUSE_CAP_POSIX_ACL)
 * @param readOnly           the mount is read-only: reads leave atime alone (O_NOATIME where permitted)
 * @param passthrough        kernel passthrough: the kernel reads and writes open files itself (asked for unless
 *                           NEVER; not with the writeback cache or direct I/O, which need the data to pass by us)
 */
public record PassthroughOptions(CachePolicy cache, boolean writebackCache, boolean splice, int fdCacheSize,
        boolean directIo, boolean defaultPermissions, boolean readOnly, KernelPassthroughMode passthrough) {

    /**
     * {@return the defaults: caching {@link CachePolicy#AUTO}, no writeback
     * cache, splice on, the descriptor cache sized from the limit, no direct
     * I/O, no default_permissions, read-write, kernel passthrough
     * {@link KernelPassthroughMode#AUTO}}
     */
    public static PassthroughOptions defaults() {
        return new PassthroughOptions(CachePolicy.AUTO, false, true, 0, false, false, false, KernelPassthroughMode.AUTO);
    }

    /**
     * {@return these options with another cache policy}
     *
     * @param policy what the kernel may cache
     */
    public PassthroughOptions withCache(CachePolicy policy) {
        return new PassthroughOptions(policy, writebackCache, splice, fdCacheSize, directIo, defaultPermissions, readOnly, passthrough);
    }

    /**
     * {@return these options with the writeback cache on or off}
     *
     * @param on true to let the kernel gather writes in its page cache
     */
    public PassthroughOptions withWritebackCache(boolean on) {
        return new PassthroughOptions(cache, on, splice, fdCacheSize, directIo, defaultPermissions, readOnly, passthrough);
    }

    /**
     * {@return these options with splice on or off}
     *
     * @param on true to move file data through pipes
     */
    public PassthroughOptions withSplice(boolean on) {
        return new PassthroughOptions(cache, writebackCache, on, fdCacheSize, directIo, defaultPermissions, readOnly, passthrough);
    }

    /**
     * {@return these options with another size of the descriptor cache}
     *
     * @param n the O_PATH descriptors kept open at most (16 at least); 0 for half the descriptor limit
     */
    public PassthroughOptions withFdCacheSize(int n) {
        return new PassthroughOptions(cache, writebackCache, splice, n, directIo, defaultPermissions, readOnly, passthrough);
    }

    /**
     * {@return these options with direct I/O on or off}
     *
     * @param on true to bypass the kernel's page cache for file data
     */
    public PassthroughOptions withDirectIo(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, on, defaultPermissions, readOnly, passthrough);
    }

    /**
     * {@return these options saying whether the mount has default_permissions}
     *
     * @param on true if it does (the mount's own option is set in {@link org.panfuse.fs.lowlevel.MountOptions})
     */
    public PassthroughOptions withDefaultPermissions(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, directIo, on, readOnly, passthrough);
    }

    /**
     * {@return these options saying whether the mount is read-only}
     *
     * @param on true if it is (the mount's own option is set in {@link org.panfuse.fs.lowlevel.MountOptions})
     */
    public PassthroughOptions withReadOnly(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, directIo, defaultPermissions, on, passthrough);
    }

    /**
     * {@return these options with another kernel passthrough mode}
     *
     * @param mode whether to ask the kernel to read and write open files itself
     */
    public PassthroughOptions withPassthrough(KernelPassthroughMode mode) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, directIo, defaultPermissions, readOnly,
                mode);
    }

    /**
     * {@return whether to ask the kernel for passthrough: not NEVER, and
     * nothing in the options that needs the data}
     */
    public boolean asksForPassthrough() {
        return passthrough != KernelPassthroughMode.NEVER && !writebackCache && !directIo;
    }
}
