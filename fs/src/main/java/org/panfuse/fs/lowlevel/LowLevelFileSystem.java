package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.panfuse_h;
import org.panfuse.fs.errno.ErrnoException;

/**
 * A filesystem on libfuse's low-level API: one method per operation of
 * {@code struct fuse_lowlevel_ops}, addressed by inode number. Mount it with
 * {@link FuseMount#mount}.
 *
 * <h2>What to implement</h2>
 * Override only what the filesystem supports. An operation left alone is not
 * registered with libfuse at all, so the kernel receives ENOSYS once and stops
 * asking (for {@code forget}, {@code getlk}/{@code setlk}, {@code flush},
 * {@code access}, ... that is the right thing: the kernel then does the work
 * itself). A read-only tree needs {@code lookup}, {@code getattr},
 * {@code readdir} and {@code read}; {@code open}, {@code opendir} and the
 * releases are needed once the filesystem keeps per-open state.
 *
 * <h2>Answering</h2>
 * Each operation receives the reply type that lists exactly what it may
 * answer. Every request is answered exactly once: through its reply, or by
 * throwing {@link ErrnoException} (answered with its errno), before the method
 * returns, or later through {@link Reply#defer()}. Any other exception is
 * logged and answered EIO; a method that returns without answering is
 * answered EIO and logged. Whatever goes wrong, the kernel gets one answer and
 * no caller waits forever.
 *
 * <h2>Inodes and lookup counts</h2>
 * Inode 1 ({@code FUSE_ROOT_ID}) is the root. Every successful
 * {@link ReplyEntry#entry entry} or {@link ReplyCreate#created created}
 * answer, and every {@link ReplyDirectoryPlus} entry other than "." and "..",
 * raises the inode's lookup count by one; {@link #forget} lowers it. An inode
 * number must stay valid (name the same file) until its count is back to zero.
 *
 * <h2>Memory and threads</h2>
 * Names ({@code MemorySegment name}) are NUL-terminated C strings owned by
 * libfuse and valid only during the call: read them with {@link Names}. So
 * are {@link FileInfo} and the reply objects, which are reused per worker
 * thread (a deferred reply carries its own copies). Methods run concurrently
 * on libfuse's worker threads (10 by default, see
 * {@link MountOptions#withThreads}): a filesystem guards its own state. Never
 * block a worker on the same mount (for instance by reading a file of this
 * mount, or {@code mmap}ping one, from inside an operation): with every worker
 * waiting on itself, the mount stops.
 *
 * <h2>Timeouts</h2>
 * Attribute and entry timeouts (seconds, in the answers) say how long the
 * kernel may trust what it was told without asking again. Long timeouts are
 * fast; when the data changes behind the kernel's back, tell it with
 * {@link FuseMount#kernelCache()}.
 */
public interface LowLevelFileSystem {

    private static ErrnoException notImplemented() {
        return ErrnoException.of(panfuse_h.ENOSYS());
    }

    /**
     * The connection is set up: choose capabilities. Runs once, before any
     * request, on libfuse's thread.
     */
    default void init(ConnectionInfo conn) {
    }

    /** The session ends: release everything. Runs once, after the last request. */
    default void destroy() {
    }

    /**
     * Looks up {@code name} in the directory {@code parent}: answer
     * {@link ReplyEntry#entry} (which counts a lookup), or
     * {@link ReplyEntry#noEntry} / ENOENT when there is no such name.
     */
    default void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * The kernel drops {@code nlookup} references to {@code ino}; at zero the
     * inode number may be reused. No reply; may be called for inodes the
     * kernel has forgotten in bulk ({@code forget_multi}) one by one.
     */
    default void forget(long ino, long nlookup) {
        throw notImplemented();
    }

    /**
     * The attributes of {@code ino}: answer {@link ReplyAttr#attr(FileAttributes, double)}.
     *
     * @param fi the open file, or null when the kernel asks by inode
     */
    default void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        throw notImplemented();
    }

    /**
     * Changes attributes (chmod, chown, truncate, utimes) and answers with the
     * attributes after the change. {@link SetAttributes#of(MemorySegment, int)}
     * reads what is to change.
     *
     * @param attr  the new values ({@code struct stat}), of which {@code toSet} (FUSE_SET_ATTR_*) says which count
     * @param toSet the FUSE_SET_ATTR_* bits
     * @param fi    the open file, or null
     */
    default void setattr(long ino, MemorySegment attr, int toSet, FileInfo fi, ReplyAttr reply) {
        throw notImplemented();
    }

    /** The target of the symlink {@code ino}. */
    default void readlink(long ino, ReplyReadlink reply) {
        throw notImplemented();
    }

    /**
     * Makes a file of any type ({@code mode} carries type and permissions;
     * {@code rdev} the device of a device file); answers its entry. Regular
     * files come here only when {@link #create} is not implemented.
     */
    default void mknod(long parent, MemorySegment name, int mode, long rdev, ReplyEntry reply) {
        throw notImplemented();
    }

    /** Makes a directory and answers its entry. */
    default void mkdir(long parent, MemorySegment name, int mode, ReplyEntry reply) {
        throw notImplemented();
    }

    /** Removes a name that is not a directory; the inode lives on while looked up or open. */
    default void unlink(long parent, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Removes an empty directory. */
    default void rmdir(long parent, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Makes a symlink {@code name} in {@code parent} pointing at {@code target}, and answers its entry. */
    default void symlink(MemorySegment target, long parent, MemorySegment name, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * Renames; the kernel has checked that the caller may.
     *
     * @param flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE
     */
    default void rename(long parent, MemorySegment name, long newParent, MemorySegment newName, int flags,
            ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Makes a hard link to {@code ino} and answers its entry (which counts a lookup). */
    default void link(long ino, long newParent, MemorySegment newName, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * Opens a file: {@code fi.flags()} are open(2)'s flags; set a handle with
     * {@link FileInfo#fh(long)} and caching hints, then answer
     * {@link ReplyOpen#opened}. Every answered open gets exactly one
     * {@link #release}. Not implemented: every open succeeds with fh 0.
     */
    default void open(long ino, FileInfo fi, ReplyOpen reply) {
        throw notImplemented();
    }

    /**
     * Reads up to {@code size} bytes at {@code offset}: answer with exactly
     * that many bytes except at end of file (a short answer is end of file
     * unless the file was opened with direct_io), through
     * {@link ReplyData#fromFd} (zero-copy), {@link ReplyData#data(MemorySegment, long)}
     * or {@link ReplyData#data(byte[], int, int)}.
     */
    default void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        throw notImplemented();
    }

    /**
     * Writes {@code data} at {@code offset} and answers how many bytes were
     * written. Registered as libfuse's {@code write_buf}: the data may still
     * be in a pipe (splice); {@link WriteSource} copies it where it belongs.
     */
    default void write(long ino, WriteSource data, long offset, FileInfo fi, ReplyWrite reply) {
        throw notImplemented();
    }

    /** Called on each close(2) of a file descriptor (there may be several per open). */
    default void flush(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** The last descriptor of an open file is gone: free its handle. Errors are not seen by anyone. */
    default void release(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Writes the file's data (and metadata, unless {@code datasync}) to stable storage. */
    default void fsync(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Opens a directory for reading, as {@link #open} does a file; paired with {@link #releasedir}. */
    default void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        throw notImplemented();
    }

    /**
     * Lists a directory from {@code offset}: add entries until
     * {@link ReplyDirectory#add} returns false, then {@link ReplyDirectory#done}
     * (nothing added means the end). Offsets are the filesystem's own: 0 is
     * the start, and each entry carries the offset to continue after it; they
     * must stay meaningful across calls on the same open directory, also when
     * entries are added or removed meanwhile.
     *
     * @param size the most bytes the answer may hold (the reply's buffer is that big)
     */
    default void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        throw notImplemented();
    }

    /**
     * As {@link #readdir}, each entry with its attributes and counting as a
     * lookup: implemented, the kernel uses it when it expects stats of the
     * entries to follow ({@code ls -l}).
     */
    default void readdirplus(long ino, long size, long offset, FileInfo fi, ReplyDirectoryPlus reply) {
        throw notImplemented();
    }

    /** The directory opened by {@link #opendir} is closed. */
    default void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** As {@link #fsync}, for a directory. */
    default void fsyncdir(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** The filesystem's figures for statfs(2)/df: answer {@link ReplyStatfs#statfs(FsStats)}. */
    default void statfs(long ino, ReplyStatfs reply) {
        throw notImplemented();
    }

    /**
     * Sets an extended attribute.
     *
     * @param value the value, {@code size} bytes, valid during the call
     * @param flags XATTR_CREATE, XATTR_REPLACE or 0
     */
    default void setxattr(long ino, MemorySegment name, MemorySegment value, long size, int flags, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Reads an extended attribute: with {@code size} 0 answer its length
     * ({@link ReplyXattr#size}), else its value, or ERANGE when it is longer
     * than {@code size}; ENODATA when there is none.
     */
    default void getxattr(long ino, MemorySegment name, long size, ReplyXattr reply) {
        throw notImplemented();
    }

    /** Lists extended attribute names (each NUL-terminated), with the same size rules as {@link #getxattr}. */
    default void listxattr(long ino, long size, ReplyXattr reply) {
        throw notImplemented();
    }

    /** Removes an extended attribute (ENODATA when there is none). */
    default void removexattr(long ino, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Checks access(2) permission {@code mask}; only called without {@code default_permissions}. */
    default void access(long ino, int mask, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Makes and opens a regular file in one step (O_CREAT): answer
     * {@link ReplyCreate#created}, which counts a lookup and an open (one
     * {@link #release} follows). Not implemented: the kernel uses
     * {@link #mknod} and {@link #open}.
     */
    default void create(long parent, MemorySegment name, int mode, FileInfo fi, ReplyCreate reply) {
        throw notImplemented();
    }

    /** Tests for a POSIX lock ({@code struct flock}); not implemented, the kernel keeps locks local. */
    default void getlk(long ino, FileInfo fi, MemorySegment flock, ReplyLock reply) {
        throw notImplemented();
    }

    /** Takes or releases a POSIX lock; {@code sleep} for F_SETLKW. Not implemented: locks are local. */
    default void setlk(long ino, FileInfo fi, MemorySegment flock, boolean sleep, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Maps a block of a file to a device block (filesystems on a block device mounted with blkdev only). */
    default void bmap(long ino, long blocksize, long index, ReplyBmap reply) {
        throw notImplemented();
    }

    /**
     * Takes or releases a BSD lock (flock(2)); only called when the
     * filesystem asks for FUSE_CAP_FLOCK_LOCKS in {@link #init}.
     *
     * @param op LOCK_SH, LOCK_EX or LOCK_UN, possibly with LOCK_NB
     */
    default void flock(long ino, FileInfo fi, int op, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Allocates or punches space (fallocate(2) {@code mode}). */
    default void fallocate(long ino, int mode, long offset, long length, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Copies a range between two open files of this mount without the data passing through the caller. */
    default void copyFileRange(long inoIn, long offIn, FileInfo fiIn, long inoOut, long offOut, FileInfo fiOut,
            long length, int flags, ReplyWrite reply) {
        throw notImplemented();
    }

    /**
     * Finds data or a hole.
     *
     * @param whence SEEK_DATA or SEEK_HOLE (the kernel handles the others itself)
     */
    default void lseek(long ino, long offset, int whence, FileInfo fi, ReplyLseek reply) {
        throw notImplemented();
    }
}
