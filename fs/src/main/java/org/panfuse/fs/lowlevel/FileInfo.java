package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.bindings.fuse_file_info;

/**
 * A view of the request's {@code struct fuse_file_info}: open flags in, file
 * handle and caching hints out. One instance per worker thread, pointed at
 * each request's struct in turn: do not keep it beyond the call.
 */
public final class FileInfo {
    /*
     * The one-bit flags after 'flags' are C bitfields, which jextract cannot
     * describe. GCC on x86_64 packs them from the least significant bit of the
     * 32-bit word that follows 'flags', in declaration order; FileInfoBitsTest
     * checks each mask against the C compiler.
     */
    static final long BITS_OFFSET = fuse_file_info.flags$offset() + ValueLayout.JAVA_INT.byteSize();
    static final int WRITEPAGE = 1;
    static final int DIRECT_IO = 1 << 1;
    static final int KEEP_CACHE = 1 << 2;
    static final int FLUSH = 1 << 3;
    static final int NONSEEKABLE = 1 << 4;
    static final int FLOCK_RELEASE = 1 << 5;
    static final int CACHE_READDIR = 1 << 6;
    static final int NOFLUSH = 1 << 7;

    private MemorySegment fi = MemorySegment.NULL;

    FileInfo wrap(MemorySegment pointer) {
        this.fi = pointer.reinterpret(fuse_file_info.sizeof());
        return this;
    }

    MemorySegment segment() {
        return fi;
    }

    /** The flags given to open(2) / create. */
    public int flags() {
        return fuse_file_info.flags(fi);
    }

    /** The handle chosen by open/opendir/create. */
    public long fh() {
        return fuse_file_info.fh(fi);
    }

    public FileInfo fh(long fh) {
        fuse_file_info.fh(fi, fh);
        return this;
    }

    public long lockOwner() {
        return fuse_file_info.lock_owner(fi);
    }

    public boolean writepage() {
        return bit(WRITEPAGE);
    }

    public boolean flush() {
        return bit(FLUSH);
    }

    public boolean flockRelease() {
        return bit(FLOCK_RELEASE);
    }

    /** Bypass the page cache for this file: every read and write reaches the filesystem. */
    public FileInfo directIo(boolean on) {
        return bit(DIRECT_IO, on);
    }

    /** Keep the kernel's cached data for this file from an earlier open. */
    public FileInfo keepCache(boolean on) {
        return bit(KEEP_CACHE, on);
    }

    public FileInfo nonseekable(boolean on) {
        return bit(NONSEEKABLE, on);
    }

    /** (opendir) let the kernel cache this directory's entries. */
    public FileInfo cacheReaddir(boolean on) {
        return bit(CACHE_READDIR, on);
    }

    public FileInfo noflush(boolean on) {
        return bit(NOFLUSH, on);
    }

    boolean bit(int mask) {
        return (fi.get(ValueLayout.JAVA_INT_UNALIGNED, BITS_OFFSET) & mask) != 0;
    }

    private FileInfo bit(int mask, boolean on) {
        int word = fi.get(ValueLayout.JAVA_INT_UNALIGNED, BITS_OFFSET);
        fi.set(ValueLayout.JAVA_INT_UNALIGNED, BITS_OFFSET, on ? word | mask : word & ~mask);
        return this;
    }

    @Override
    public String toString() {
        return fi.equals(MemorySegment.NULL) ? "fi=null" : "fh=" + fh() + " flags=0" + Integer.toOctalString(flags());
    }
}
