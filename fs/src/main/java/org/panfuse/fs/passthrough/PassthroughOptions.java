package org.panfuse.fs.passthrough;

/**
 * How the passthrough serves its source.
 *
 * @param cache          what the kernel may cache
 * @param writebackCache let the kernel gather writes in its page cache (FUSE_CAP_WRITEBACK_CACHE)
 * @param splice         move file data through pipes (splice) instead of through user memory
 * @param fdCacheSize    O_PATH descriptors kept open at most; 0 picks half of the descriptor limit
 * @param directIo       bypass the kernel's page cache for file data: every read and write reaches the source
 */
public record PassthroughOptions(CachePolicy cache, boolean writebackCache, boolean splice, int fdCacheSize,
        boolean directIo) {

    public static PassthroughOptions defaults() {
        return new PassthroughOptions(CachePolicy.AUTO, false, true, 0, false);
    }

    public PassthroughOptions withCache(CachePolicy policy) {
        return new PassthroughOptions(policy, writebackCache, splice, fdCacheSize, directIo);
    }

    public PassthroughOptions withWritebackCache(boolean on) {
        return new PassthroughOptions(cache, on, splice, fdCacheSize, directIo);
    }

    public PassthroughOptions withSplice(boolean on) {
        return new PassthroughOptions(cache, writebackCache, on, fdCacheSize, directIo);
    }

    public PassthroughOptions withFdCacheSize(int n) {
        return new PassthroughOptions(cache, writebackCache, splice, n, directIo);
    }

    public PassthroughOptions withDirectIo(boolean on) {
        return new PassthroughOptions(cache, writebackCache, splice, fdCacheSize, on);
    }
}
