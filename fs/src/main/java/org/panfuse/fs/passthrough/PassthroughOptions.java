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

    public static PassthroughOptions defaults() {
        return new PassthroughOptions(CachePolicy.AUTO, false, true, 0, false, false, false, KernelPassthroughMode.AUTO);
    }

    public PassthroughOptions withCache(CachePolicy policy) {
        return new PassthroughOptions(policy, writebackCache, splice, fdCacheSize, directIo, defaultPermissions, readOnly, passthrough);
    }

    public PassthroughOptions withWritebackCache(boolean on) {
        return new PassthroughOptions(cache, on, splice, fdCacheSize, directIo, defaultPermissions, readOnly, passthrough);
    }

    public PassthroughOptions withSplice(boolean on) {
        return new PassthroughOptions(cache, writebackCache, on, fdCacheSize, directIo, defaultPermissions, readOnly, passthrough);
    }

    public PassthroughOptions withFdCacheSize(int n) {
        return new PassthroughOptions(cache, writebackCache, splice, n, directIo, defaultPermissions, readOnly, passthrough);
    }

    public PassthroughOptions withDirectIo(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, on, defaultPermissions, readOnly, passthrough);
    }

    public PassthroughOptions withDefaultPermissions(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, directIo, on, readOnly, passthrough);
    }

    public PassthroughOptions withReadOnly(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, directIo, defaultPermissions, on, passthrough);
    }

    public PassthroughOptions withPassthrough(KernelPassthroughMode mode) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, directIo, defaultPermissions, readOnly,
                mode);
    }

    /** Whether to ask the kernel for passthrough: not NEVER, and nothing in the options that needs the data. */
    public boolean asksForPassthrough() {
        return passthrough != KernelPassthroughMode.NEVER && !writebackCache && !directIo;
    }
}
