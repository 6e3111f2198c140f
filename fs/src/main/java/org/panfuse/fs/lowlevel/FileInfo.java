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

    /*
     * The struct is reached by absolute address through one segment spanning
     * the address space: pointing this view at the next request's struct then
     * allocates nothing (a reinterpret() per request would).
     */
    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long FLAGS = fuse_file_info.flags$offset();
    private static final long FH = fuse_file_info.fh$offset();
    private static final long LOCK_OWNER = fuse_file_info.lock_owner$offset();

    private long address;
    private MemorySegment pointer = MemorySegment.NULL;

    FileInfo wrap(MemorySegment pointer) {
        this.pointer = pointer;
        this.address = pointer.address();
        return this;
    }

    /** The struct's pointer, as received: for handing back to libfuse. */
    MemorySegment segment() {
        return pointer;
    }

    /** The flags given to open(2) / create. */
    public int flags() {
        return EVERYWHERE.get(ValueLayout.JAVA_INT_UNALIGNED, address + FLAGS);
    }

    /** The handle chosen by open/opendir/create. */
    public long fh() {
        return EVERYWHERE.get(ValueLayout.JAVA_LONG_UNALIGNED, address + FH);
    }

    public FileInfo fh(long fh) {
        EVERYWHERE.set(ValueLayout.JAVA_LONG_UNALIGNED, address + FH, fh);
        return this;
    }

    public long lockOwner() {
        return EVERYWHERE.get(ValueLayout.JAVA_LONG_UNALIGNED, address + LOCK_OWNER);
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
        return (EVERYWHERE.get(ValueLayout.JAVA_INT_UNALIGNED, address + BITS_OFFSET) & mask) != 0;
    }

    private FileInfo bit(int mask, boolean on) {
        int word = EVERYWHERE.get(ValueLayout.JAVA_INT_UNALIGNED, address + BITS_OFFSET);
        EVERYWHERE.set(ValueLayout.JAVA_INT_UNALIGNED, address + BITS_OFFSET, on ? word | mask : word & ~mask);
        return this;
    }

    @Override
    public String toString() {
        return address == 0 ? "fi=null" : "fh=" + fh() + " flags=0" + Integer.toOctalString(flags());
    }
}
