package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.panfuse_h;
import org.panfuse.fs.errno.ErrnoException;

/**
 * A filesystem on libfuse's low-level API: one method per operation of
 * {@code struct fuse_lowlevel_ops}, addressed by inode number.
 *
 * <p>Override only what the filesystem supports. An operation left alone is
 * not registered with libfuse at all, so the kernel receives ENOSYS once and
 * stops asking (for {@code forget}, {@code getlk}/{@code setlk},
 * {@code flush}, ... that is the right thing: see libfuse's documentation of
 * each operation).
 *
 * <p>Names ({@code MemorySegment name}) are NUL-terminated C strings owned by
 * libfuse and valid only during the call; so are {@link FileInfo} and the
 * reply objects, which are reused per thread. Every request must be answered
 * through its reply, or by throwing {@link ErrnoException}, before the method
 * returns. Methods run concurrently on libfuse's worker threads.
 */
public interface LowLevelFileSystem {

    private static ErrnoException notImplemented() {
        return ErrnoException.of(panfuse_h.ENOSYS());
    }

    /** The connection is set up: choose capabilities. Runs before any request. */
    default void init(ConnectionInfo conn) {
    }

    /** The session ends: release everything. Runs after the last request. */
    default void destroy() {
    }

    default void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        throw notImplemented();
    }

    /** The kernel drops {@code nlookup} references to {@code ino}. No reply. */
    default void forget(long ino, long nlookup) {
        throw notImplemented();
    }

    /** @param fi the open file, or null when the kernel asks by inode */
    default void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        throw notImplemented();
    }

    /**
     * @param attr  the new values ({@code struct stat}), of which {@code toSet} (FUSE_SET_ATTR_*) says which count
     * @param fi    the open file, or null
     */
    default void setattr(long ino, MemorySegment attr, int toSet, FileInfo fi, ReplyAttr reply) {
        throw notImplemented();
    }

    default void readlink(long ino, ReplyReadlink reply) {
        throw notImplemented();
    }

    default void mknod(long parent, MemorySegment name, int mode, long rdev, ReplyEntry reply) {
        throw notImplemented();
    }

    default void mkdir(long parent, MemorySegment name, int mode, ReplyEntry reply) {
        throw notImplemented();
    }

    default void unlink(long parent, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void rmdir(long parent, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void symlink(MemorySegment target, long parent, MemorySegment name, ReplyEntry reply) {
        throw notImplemented();
    }

    /** @param flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE */
    default void rename(long parent, MemorySegment name, long newParent, MemorySegment newName, int flags,
            ReplyEmpty reply) {
        throw notImplemented();
    }

    default void link(long ino, long newParent, MemorySegment newName, ReplyEntry reply) {
        throw notImplemented();
    }

    default void open(long ino, FileInfo fi, ReplyOpen reply) {
        throw notImplemented();
    }

    default void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        throw notImplemented();
    }

    /** Registered as libfuse's {@code write_buf}: the data may still be in a pipe (splice). */
    default void write(long ino, WriteSource data, long offset, FileInfo fi, ReplyWrite reply) {
        throw notImplemented();
    }

    default void flush(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void release(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void fsync(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        throw notImplemented();
    }

    default void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        throw notImplemented();
    }

    default void readdirplus(long ino, long size, long offset, FileInfo fi, ReplyDirectoryPlus reply) {
        throw notImplemented();
    }

    default void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void fsyncdir(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void statfs(long ino, ReplyStatfs reply) {
        throw notImplemented();
    }

    /** @param flags XATTR_CREATE, XATTR_REPLACE or 0 */
    default void setxattr(long ino, MemorySegment name, MemorySegment value, long size, int flags, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void getxattr(long ino, MemorySegment name, long size, ReplyXattr reply) {
        throw notImplemented();
    }

    default void listxattr(long ino, long size, ReplyXattr reply) {
        throw notImplemented();
    }

    default void removexattr(long ino, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /** Only called without {@code default_permissions}. */
    default void access(long ino, int mask, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void create(long parent, MemorySegment name, int mode, FileInfo fi, ReplyCreate reply) {
        throw notImplemented();
    }

    default void getlk(long ino, FileInfo fi, MemorySegment flock, ReplyLock reply) {
        throw notImplemented();
    }

    default void setlk(long ino, FileInfo fi, MemorySegment flock, boolean sleep, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void bmap(long ino, long blocksize, long index, ReplyBmap reply) {
        throw notImplemented();
    }

    /** @param op LOCK_SH, LOCK_EX or LOCK_UN, possibly with LOCK_NB */
    default void flock(long ino, FileInfo fi, int op, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void fallocate(long ino, int mode, long offset, long length, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    default void copyFileRange(long inoIn, long offIn, FileInfo fiIn, long inoOut, long offOut, FileInfo fiOut,
            long length, int flags, ReplyWrite reply) {
        throw notImplemented();
    }

    /** @param whence SEEK_DATA or SEEK_HOLE (the kernel handles the others itself) */
    default void lseek(long ino, long offset, int whence, FileInfo fi, ReplyLseek reply) {
        throw notImplemented();
    }
}
