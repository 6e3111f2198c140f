package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.bindings.fuse_file_info;

/**
 * A view of the request's {@code struct fuse_file_info}: open flags in, file
 * handle and caching hints out. One instance per worker thread, pointed at
 * each request's struct in turn: do not keep it beyond the call. Its methods
 * read and write libfuse's struct directly, which lives only during the call:
 * used later, they touch memory that is no longer the request's. A deferred
 * reply has its own copy ({@link ReplyOpen#fileInfo()},
 * {@link ReplyCreate#fileInfo()}).
 *
 * <p>The caching hints are set by the filesystem in open, opendir and
 * create, before answering; set elsewhere they have no effect.
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

    /**
     * A view that points at no struct yet. The library makes one per worker
     * thread and points it at each request's struct; a filesystem has no use
     * for one of its own (its getters and setters would touch address 0).
     */
    public FileInfo() {
    }

    FileInfo wrap(MemorySegment pointer) {
        this.pointer = pointer;
        this.address = pointer.address();
        return this;
    }

    /** The struct's pointer, as received: for handing back to libfuse. */
    MemorySegment segment() {
        return pointer;
    }

    /**
     * {@return the flags given to open(2) or creat(2): the access mode in
     * {@code O_ACCMODE}, O_APPEND, O_TRUNC, O_DIRECT, ...} In open, opendir
     * and create, and again in read, write and release.
     */
    public int flags() {
        return EVERYWHERE.get(ValueLayout.JAVA_INT_UNALIGNED, address + FLAGS);
    }

    /**
     * {@return the file handle: what open, opendir or create set with
     * {@link #fh(long)}, 0 if they set none}
     */
    public long fh() {
        return EVERYWHERE.get(ValueLayout.JAVA_LONG_UNALIGNED, address + FH);
    }

    /**
     * Sets the file handle, in open, opendir or create: any number the
     * filesystem chooses (an index, a descriptor), handed back with every
     * request on this open file or directory until its release.
     *
     * @param fh the handle
     * @return this view
     */
    public FileInfo fh(long fh) {
        EVERYWHERE.set(ValueLayout.JAVA_LONG_UNALIGNED, address + FH, fh);
        return this;
    }

    /**
     * {@return the lock owner: an id of whoever holds locks through this
     * file} In flush it stands for the closing process, in flock and in a
     * release with {@link #flockRelease()} for the open file description;
     * getlk and setlk have it too.
     */
    public long lockOwner() {
        return EVERYWHERE.get(ValueLayout.JAVA_LONG_UNALIGNED, address + LOCK_OWNER);
    }

    /**
     * {@return true if this write is the kernel writing back cached pages}
     * Such a delayed write (with the writeback cache) does not come from the
     * process that wrote: its caller's uid, gid and pid are not that
     * process's, and its fh may be that of another open of the file.
     */
    public boolean writepage() {
        return bit(WRITEPAGE);
    }

    /** {@return true if this release also stands for a flush of the file} */
    public boolean flush() {
        return bit(FLUSH);
    }

    /**
     * {@return true if this release must also drop the flock(2) locks held
     * through the file, which {@link #lockOwner()} names}
     */
    public boolean flockRelease() {
        return bit(FLOCK_RELEASE);
    }

    /**
     * Bypasses the page cache for this open file (open, create): every read
     * and write reaches the filesystem, and a short read is no longer end of
     * file.
     *
     * @param on true to bypass the cache
     * @return this view
     */
    public FileInfo directIo(boolean on) {
        return bit(DIRECT_IO, on);
    }

    /**
     * Keeps the kernel's cached data of this file from an earlier open (open,
     * create); without it, each open drops the file's cached pages. For data
     * that changed meanwhile, see {@link KernelCache}.
     *
     * @param on true to keep the cached data
     * @return this view
     */
    public FileInfo keepCache(boolean on) {
        return bit(KEEP_CACHE, on);
    }

    /**
     * Marks the open file as not seekable (open, create): lseek(2), pread(2)
     * and pwrite(2) on it fail with ESPIPE, as on a pipe.
     *
     * @param on true for a stream without positions
     * @return this view
     */
    public FileInfo nonseekable(boolean on) {
        return bit(NONSEEKABLE, on);
    }

    /**
     * Lets the kernel cache this directory's entries (opendir), so that
     * listing it again may not reach readdir.
     *
     * @param on true to let the kernel cache the listing
     * @return this view
     */
    public FileInfo cacheReaddir(boolean on) {
        return bit(CACHE_READDIR, on);
    }

    /**
     * Tells the kernel that close(2) needs no flush for this open file (open,
     * create): {@link LowLevelFileSystem#flush} is then not called for it
     * (unless the writeback cache is on).
     *
     * @param on true to skip flush on close
     * @return this view
     */
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
