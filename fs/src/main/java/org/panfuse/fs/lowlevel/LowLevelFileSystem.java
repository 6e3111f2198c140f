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
 * releases are needed once the filesystem keeps per-open state. Whether a
 * method counts as implemented is decided once, at mount, by whether the
 * filesystem's class overrides it; only those are registered.
 *
 * <h2>Answering</h2>
 * Each operation receives the reply type that lists exactly what it may
 * answer. Every request is answered exactly once: through its reply, or by
 * throwing {@link ErrnoException} (answered with its errno), before the method
 * returns, or later through {@link Reply#defer()}. Any other exception is
 * logged and answered EIO; a method that returns without answering is
 * answered EIO and logged. An exception thrown after the answer was given
 * (or deferred) is only logged. Whatever goes wrong, the kernel gets one
 * answer and no caller waits forever. The errno values are positive, as in
 * {@code errno.h}; the bindings name them ({@code panfuse_h.ENOENT()}).
 *
 * <h2>Inodes and lookup counts</h2>
 * Inode 1 ({@code FUSE_ROOT_ID}) is the root; it is known from the start,
 * without a lookup. Every successful {@link ReplyEntry#entry entry} or
 * {@link ReplyCreate#created created} answer, and every
 * {@link ReplyDirectoryPlus} entry other than "." and "..", raises the inode's
 * lookup count by one; {@link #forget} lowers it. An inode number must stay
 * valid (name the same file) until its count is back to zero; it may be
 * reused after that. A filesystem that never reuses its numbers may leave
 * {@code forget} unimplemented.
 *
 * <h2>Directory offsets</h2>
 * {@link #readdir} and {@link #readdirplus} are called with an offset: 0 for
 * the start of the directory, else the {@code nextOffset} of the last entry
 * the kernel received. The offsets are the filesystem's own cookies, not byte
 * positions: any values it can continue from, except that 0 always means the
 * start (so no entry may carry 0 as its {@code nextOffset}). They must stay
 * meaningful for the whole life of the open directory (its {@link FileInfo#fh()}),
 * also when entries are added or removed meanwhile, so that an entry neither
 * added nor removed meanwhile is listed exactly once. "." and ".." are the
 * filesystem's to list; the kernel adds nothing.
 *
 * <h2>Memory</h2>
 * The {@code MemorySegment} arguments ({@code name}, {@code target},
 * {@code attr}, {@code value}, {@code flock}) point into libfuse's memory:
 * names and targets are NUL-terminated C strings with no bounds of their own
 * (read them with {@link Names}); {@code attr} and {@code value} are sized to
 * their struct or data. All of them are valid only until the method returns,
 * also when the reply is deferred: copy what is needed later before returning,
 * and never write into them. {@link FileInfo}, {@link WriteSource},
 * {@link RequestContext} and the reply objects belong to the worker thread
 * and are reused for its next request (a deferred reply carries its own copy
 * of the file info). Segments handed to a reply are read during that call
 * only; the caller may reuse or free them as soon as it returns.
 *
 * <h2>Threads</h2>
 * Methods run concurrently on libfuse's worker threads ("panfuse-worker-N
 * MOUNTPOINT", up to {@link MountOptions#threads()}, 10 by default, see
 * {@link MountOptions#withThreads}), or one at a time on the loop thread with
 * {@code threads} 0; several operations on the same inode may run at once.
 * A filesystem guards its own state. {@link #init} and {@link #destroy} are
 * the exceptions, see there. Never block a worker on the same mount (for
 * instance by reading a file of this mount, or {@code mmap}ping one, from
 * inside an operation): with every worker waiting on itself, the mount stops.
 * An operation that must wait for something slow defers its reply and
 * returns, so the worker serves other requests meanwhile.
 *
 * <h2>Timeouts</h2>
 * Attribute and entry timeouts (seconds, in the answers) say how long the
 * kernel may trust what it was told without asking again; 0 means it asks
 * every time. Long timeouts are fast; when the data changes behind the
 * kernel's back, tell it with {@link FuseMount#kernelCache()}.
 */
public interface LowLevelFileSystem {

    private static ErrnoException notImplemented() {
        return ErrnoException.of(panfuse_h.ENOSYS());
    }

    /**
     * The connection is being set up: read what the kernel and libfuse can do
     * and choose the capabilities, limits and kernel passthrough
     * ({@link ConnectionInfo}). Runs once, before any request, on the thread
     * that calls {@link FuseMount#mount}, before that returns. An exception is
     * logged and does not fail the mount (what was set before it stays set).
     *
     * @param conn the connection's parameters, to read and change during this call only
     */
    default void init(ConnectionInfo conn) {
    }

    /**
     * The session ends: release everything. Runs once, after the request loop
     * has ended (no operation runs any more), on the thread that calls
     * {@link FuseMount#close()} or in the JVM's shutdown hook. Not called when
     * the loop never ended (the session is then left in place, see
     * {@link FuseMount#close()}). An exception is logged.
     */
    default void destroy() {
    }

    /**
     * Looks up {@code name} in the directory {@code parent}: answer
     * {@link ReplyEntry#entry} (which counts a lookup), or
     * {@link ReplyEntry#noEntry} (a cacheable negative entry) or ENOENT when
     * there is no such name. The kernel asks for "." or ".." only where the
     * filesystem wants FUSE_CAP_EXPORT_SUPPORT (NFS export).
     *
     * @param parent the directory's inode number
     * @param name   the name, a NUL-terminated C string valid during this call only
     * @param reply  the answer
     */
    default void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * The kernel drops {@code nlookup} references to {@code ino}; at zero the
     * inode number may be reused. Nothing is answered, and an exception is
     * only logged. A batch of forgets ({@code forget_multi}) arrives here one
     * inode at a time. Not implemented: the kernel's counts are not tracked,
     * which suits a filesystem whose inode numbers stay valid forever.
     *
     * @param ino     the inode number
     * @param nlookup how many lookups to take back (1 or more)
     */
    default void forget(long ino, long nlookup) {
        throw notImplemented();
    }

    /**
     * The attributes of {@code ino}: answer {@link ReplyAttr#attr(FileAttributes, double)}
     * (or fill {@link ReplyAttr#attr()} and answer {@link ReplyAttr#attr(double)}).
     *
     * @param ino   the inode number (1 is the root)
     * @param fi    the open file, when the kernel asks through one (fstat), else null
     * @param reply the answer
     */
    default void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        throw notImplemented();
    }

    /**
     * Changes attributes (chmod, chown, truncate, utimes) and answers with all
     * the attributes after the change. {@link SetAttributes#of(MemorySegment, int)}
     * reads what is to change; read it before deferring the reply.
     *
     * @param ino   the inode number (1 is the root)
     * @param attr  the new values, a {@code struct stat} valid during this call only, of which
     *              {@code toSet} says which count
     * @param toSet the FUSE_SET_ATTR_* bits
     * @param fi    the open file, when the change comes through one (ftruncate, fchmod, ...), else null
     * @param reply the answer
     */
    default void setattr(long ino, MemorySegment attr, int toSet, FileInfo fi, ReplyAttr reply) {
        throw notImplemented();
    }

    /**
     * The target of the symlink {@code ino}: answer
     * {@link ReplyReadlink#target(String)} or {@link ReplyReadlink#target(MemorySegment)}.
     *
     * @param ino   the symlink's inode number
     * @param reply the answer
     */
    default void readlink(long ino, ReplyReadlink reply) {
        throw notImplemented();
    }

    /**
     * Makes a file of any type ({@code mode} carries type and permissions;
     * {@code rdev} the device of a device file) and answers its entry (which
     * counts a lookup). Regular files come here from mknod(2), and from
     * open(2) with O_CREAT only when {@link #create} is not implemented.
     * EEXIST if the name exists.
     *
     * @param parent the directory's inode number
     * @param name   the new name, a NUL-terminated C string valid during this call only
     * @param mode   the file type bits and permissions; the caller's umask is already applied unless the
     *               filesystem asked for FUSE_CAP_DONT_MASK (then see {@link RequestContext#umask()})
     * @param rdev   the device number of a character or block device, else 0
     * @param reply  the answer
     */
    default void mknod(long parent, MemorySegment name, int mode, long rdev, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * Makes a directory and answers its entry (which counts a lookup). EEXIST
     * if the name exists.
     *
     * @param parent the directory's inode number
     * @param name   the new name, a NUL-terminated C string valid during this call only
     * @param mode   the permission bits (the type bits may be missing); the caller's umask is applied as for
     *               {@link #mknod}
     * @param reply  the answer
     */
    default void mkdir(long parent, MemorySegment name, int mode, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * Removes a name that is not a directory; the inode lives on while it is
     * looked up (until {@link #forget}) or open (until {@link #release}).
     *
     * @param parent the directory's inode number
     * @param name   the name, a NUL-terminated C string valid during this call only
     * @param reply  the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void unlink(long parent, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Removes an empty directory (ENOTEMPTY otherwise).
     *
     * @param parent the parent directory's inode number
     * @param name   the name, a NUL-terminated C string valid during this call only
     * @param reply  the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void rmdir(long parent, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Makes a symlink {@code name} in {@code parent} pointing at {@code target},
     * and answers its entry (which counts a lookup).
     *
     * @param target the target, a NUL-terminated C string (shorter than PATH_MAX) valid during this call only
     * @param parent the directory's inode number
     * @param name   the new name, a NUL-terminated C string valid during this call only
     * @param reply  the answer
     */
    default void symlink(MemorySegment target, long parent, MemorySegment name, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * Renames {@code name} in {@code parent} to {@code newName} in
     * {@code newParent}, replacing what is there (unless the flags say
     * otherwise); the kernel has checked that the caller may.
     *
     * @param parent    the inode number of the directory the name is in
     * @param name      the name, a NUL-terminated C string valid during this call only
     * @param newParent the inode number of the directory it goes to (may be {@code parent})
     * @param newName   the new name, a NUL-terminated C string valid during this call only
     * @param flags     the renameat2(2) flags: 0, RENAME_NOREPLACE or RENAME_EXCHANGE; answer EINVAL for
     *                  flags the filesystem does not support
     * @param reply     the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void rename(long parent, MemorySegment name, long newParent, MemorySegment newName, int flags,
            ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Makes a hard link to {@code ino} and answers its entry (which counts a lookup).
     *
     * @param ino       the inode number of the file to link to
     * @param newParent the inode number of the directory the new name goes in
     * @param newName   the new name, a NUL-terminated C string valid during this call only
     * @param reply     the answer
     */
    default void link(long ino, long newParent, MemorySegment newName, ReplyEntry reply) {
        throw notImplemented();
    }

    /**
     * Opens a file: {@code fi.flags()} are open(2)'s flags (without O_CREAT,
     * O_EXCL and O_NOCTTY, which the kernel handles); set a handle with
     * {@link FileInfo#fh(long)} and caching hints, then answer
     * {@link ReplyOpen#opened} (or {@link ReplyOpen#passthrough}). Every answered
     * open gets exactly one {@link #release}: from the kernel, or from the
     * library itself when the answer found no caller (see {@link #release}).
     * Not implemented: every open succeeds with fh 0.
     *
     * @param ino   the inode number
     * @param fi    the request's file info: open flags in, handle and caching hints out
     * @param reply the answer
     */
    default void open(long ino, FileInfo fi, ReplyOpen reply) {
        throw notImplemented();
    }

    /**
     * Reads up to {@code size} bytes at {@code offset}: answer with exactly
     * that many bytes except at end of file (a short answer is end of file
     * unless the file was opened with direct_io), through
     * {@link ReplyData#fromFd} (zero-copy), {@link ReplyData#data(MemorySegment, long)}
     * or {@link ReplyData#data(byte[], int, int)}. With FUSE_CAP_WRITEBACK_CACHE
     * the kernel also reads files opened O_WRONLY. Not called for files whose
     * open answered {@link ReplyOpen#passthrough} with kernel passthrough in force.
     *
     * @param ino    the inode number
     * @param size   the most bytes to answer
     * @param offset the position in the file, in bytes
     * @param fi     the open file: {@link FileInfo#fh()} as open set it, and the open flags
     * @param reply  the answer
     */
    default void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        throw notImplemented();
    }

    /**
     * Writes {@code data} at {@code offset} and answers how many bytes were
     * written ({@link ReplyWrite#written}; fewer than {@link WriteSource#size()}
     * is a short write). Registered as libfuse's {@code write_buf}: the data may
     * still be in a pipe (splice); {@link WriteSource} copies it where it belongs,
     * and must be read before this method returns, also when the reply is
     * deferred. Without FUSE_CAP_WRITEBACK_CACHE, appending to a file opened
     * with O_APPEND is the filesystem's to get right ({@code offset} is the
     * end of the file as the kernel last knew it); with it, the kernel appends.
     *
     * @param ino    the inode number
     * @param data   the bytes to write, valid during this call only
     * @param offset the position in the file, in bytes
     * @param fi     the open file: {@link FileInfo#fh()} as open set it, the open flags, and
     *               {@link FileInfo#writepage()} for a write-back of cached pages
     * @param reply  the answer
     */
    default void write(long ino, WriteSource data, long offset, FileInfo fi, ReplyWrite reply) {
        throw notImplemented();
    }

    /**
     * Called on each close(2) of a file descriptor (there may be several per
     * open, after dup(2) or fork(2)); its error is close(2)'s.
     * Not implemented: close always succeeds here.
     *
     * @param ino   the inode number
     * @param fi    the open file, with {@link FileInfo#lockOwner()} of the closing process
     * @param reply the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void flush(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * The last descriptor of an open file is gone: free its handle. Errors
     * are seen by no one. Also called by the library itself, on the thread that
     * answered the open or create, for an open whose answer reached no caller
     * (interrupted: the kernel will never release it); that reply goes nowhere
     * and its {@link RequestContext#interrupted()} is true.
     *
     * @param ino   the inode number
     * @param fi    the open file, with {@link FileInfo#fh()} as open set it, and the
     *              {@link FileInfo#flush()} and {@link FileInfo#flockRelease()} bits where the kernel sets them
     * @param reply the answer: {@link ReplyEmpty#ok()} (or an errno, which nobody sees)
     */
    default void release(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Writes the file's data (and metadata, unless {@code datasync}) to stable
     * storage. Not implemented: fsync(2) succeeds without reaching the filesystem.
     *
     * @param ino      the inode number
     * @param datasync true for fdatasync(2): the data only
     * @param fi       the open file
     * @param reply    the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void fsync(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Opens a directory for reading, as {@link #open} does a file; paired
     * with {@link #releasedir}. A handle set with {@link FileInfo#fh(long)} comes
     * back to {@link #readdir}, {@link #readdirplus} and {@link #releasedir} (for
     * instance a snapshot of the listing, to keep offsets meaningful).
     * Not implemented: every opendir succeeds with fh 0.
     *
     * @param ino   the directory's inode number
     * @param fi    the request's file info: open flags in, handle and
     *              {@link FileInfo#cacheReaddir(boolean) caching hints} out
     * @param reply the answer: {@link ReplyOpen#opened} or an errno
     */
    default void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        throw notImplemented();
    }

    /**
     * Lists a directory from {@code offset}: add entries until
     * {@link ReplyDirectory#add} returns false or the directory ends, then
     * {@link ReplyDirectory#done} (nothing added means the end). See the class
     * comment for what the offsets must be. Answer within the call: a deferred
     * directory reply has no buffer for entries (see {@link ReplyDirectory#defer()}).
     *
     * @param ino    the directory's inode number
     * @param size   the most bytes the answer may hold (the reply's buffer is that big)
     * @param offset 0 for the start, else the {@code nextOffset} of the last entry the kernel received
     * @param fi     the open directory, with {@link FileInfo#fh()} as {@link #opendir} set it
     * @param reply  the answer
     */
    default void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        throw notImplemented();
    }

    /**
     * As {@link #readdir}, each entry with its attributes and counting as a
     * lookup: implemented, the kernel uses it when it expects stats of the
     * entries to follow ({@code ls -l}; FUSE_CAP_READDIRPLUS and
     * FUSE_CAP_READDIRPLUS_AUTO).
     *
     * @param ino    the directory's inode number
     * @param size   the most bytes the answer may hold (the reply's buffer is that big)
     * @param offset 0 for the start, else the {@code nextOffset} of the last entry the kernel received
     * @param fi     the open directory, with {@link FileInfo#fh()} as {@link #opendir} set it
     * @param reply  the answer
     */
    default void readdirplus(long ino, long size, long offset, FileInfo fi, ReplyDirectoryPlus reply) {
        throw notImplemented();
    }

    /**
     * The directory opened by {@link #opendir} is closed: free its handle.
     *
     * @param ino   the directory's inode number
     * @param fi    the open directory, with {@link FileInfo#fh()} as {@link #opendir} set it
     * @param reply the answer: {@link ReplyEmpty#ok()} (errors are seen by no one)
     */
    default void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * As {@link #fsync}, for a directory.
     *
     * @param ino      the directory's inode number
     * @param datasync true to write the contents only, not the metadata
     * @param fi       the open directory
     * @param reply    the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void fsyncdir(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * The filesystem's figures for statfs(2)/df: answer
     * {@link ReplyStatfs#statfs(FsStats)}. Not implemented: libfuse answers a
     * filesystem with no space (block size 512, name length 255, all else 0).
     *
     * @param ino   the inode number of the file statfs(2) was called on
     * @param reply the answer
     */
    default void statfs(long ino, ReplyStatfs reply) {
        throw notImplemented();
    }

    /**
     * Sets an extended attribute.
     *
     * @param ino   the inode number
     * @param name  the attribute's name ("user.x", "security.capability", ...), a NUL-terminated C string valid
     *              during this call only
     * @param value the value, {@code size} bytes, valid during this call only
     * @param size  the value's length in bytes (0 is a valid, empty value)
     * @param flags XATTR_CREATE (EEXIST if it exists), XATTR_REPLACE (ENODATA if it does not), or 0
     * @param reply the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void setxattr(long ino, MemorySegment name, MemorySegment value, long size, int flags, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Reads an extended attribute: with {@code size} 0 answer its length
     * ({@link ReplyXattr#size}), else its value ({@link ReplyXattr#data}), or
     * ERANGE when it is longer than {@code size}; ENODATA when there is none.
     * Not implemented: the kernel answers EOPNOTSUPP for every attribute.
     *
     * @param ino   the inode number
     * @param name  the attribute's name, a NUL-terminated C string valid during this call only
     * @param size  0 to ask for the length, else the most bytes the caller takes
     * @param reply the answer
     */
    default void getxattr(long ino, MemorySegment name, long size, ReplyXattr reply) {
        throw notImplemented();
    }

    /**
     * Lists extended attribute names, each NUL-terminated, one after the other,
     * with the same size rules as {@link #getxattr}.
     *
     * @param ino   the inode number
     * @param size  0 to ask for the length of the list, else the most bytes the caller takes
     * @param reply the answer
     */
    default void listxattr(long ino, long size, ReplyXattr reply) {
        throw notImplemented();
    }

    /**
     * Removes an extended attribute (ENODATA when there is none).
     *
     * @param ino   the inode number
     * @param name  the attribute's name, a NUL-terminated C string valid during this call only
     * @param reply the answer: {@link ReplyEmpty#ok()} or an errno
     */
    default void removexattr(long ino, MemorySegment name, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Checks access(2) permission {@code mask}; called for access(2) and
     * chdir(2) only without {@code default_permissions}. Not implemented: every
     * check is granted.
     *
     * @param ino   the inode number
     * @param mask  F_OK, or an OR of R_OK, W_OK and X_OK
     * @param reply the answer: {@link ReplyEmpty#ok()} or EACCES (or another errno)
     */
    default void access(long ino, int mask, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Makes and opens a regular file in one step (O_CREAT): answer
     * {@link ReplyCreate#created}, which counts a lookup and an open (one
     * {@link #release} follows): if the file does not exist, creates it with
     * {@code mode}, then opens it. Not implemented: the kernel uses
     * {@link #mknod} and {@link #open}.
     *
     * @param parent the directory's inode number
     * @param name   the name, a NUL-terminated C string valid during this call only
     * @param mode   the file type bits and permissions; the caller's umask is applied as for {@link #mknod}
     * @param fi     the request's file info: open flags in, handle and caching hints out
     * @param reply  the answer
     */
    default void create(long parent, MemorySegment name, int mode, FileInfo fi, ReplyCreate reply) {
        throw notImplemented();
    }

    /**
     * Tests for a POSIX lock: answer {@link ReplyLock#lock} with the lock that
     * would conflict, or with {@code flock} itself set to F_UNLCK. Not
     * implemented: the kernel keeps locks local.
     *
     * @param ino   the inode number
     * @param fi    the open file, with {@link FileInfo#lockOwner()}
     * @param flock the lock asked about, a {@code struct flock} valid during this call only
     * @param reply the answer
     */
    default void getlk(long ino, FileInfo fi, MemorySegment flock, ReplyLock reply) {
        throw notImplemented();
    }

    /**
     * Takes or releases a POSIX lock. Not implemented: locks are local to
     * the kernel.
     *
     * @param ino   the inode number
     * @param fi    the open file, with {@link FileInfo#lockOwner()}
     * @param flock the lock, a {@code struct flock} valid during this call only
     * @param sleep true for F_SETLKW: wait for a conflicting lock to go (defer the reply rather than block a worker)
     * @param reply the answer: {@link ReplyEmpty#ok()}, or EAGAIN for a conflict without {@code sleep}
     */
    default void setlk(long ino, FileInfo fi, MemorySegment flock, boolean sleep, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Maps a block of a file to a device block (filesystems on a block device
     * mounted with blkdev only).
     *
     * @param ino       the inode number
     * @param blocksize the block size, in bytes
     * @param index     the block's index in the file
     * @param reply     the answer: {@link ReplyBmap#block} or an errno
     */
    default void bmap(long ino, long blocksize, long index, ReplyBmap reply) {
        throw notImplemented();
    }

    /**
     * Takes or releases a BSD lock (flock(2)); only called when the
     * filesystem asks for FUSE_CAP_FLOCK_LOCKS in {@link #init}.
     *
     * @param ino   the inode number
     * @param fi    the open file, with {@link FileInfo#lockOwner()} naming the open file description
     * @param op    LOCK_SH, LOCK_EX or LOCK_UN, possibly with LOCK_NB (without it, defer the reply rather
     *              than block a worker while waiting)
     * @param reply the answer: {@link ReplyEmpty#ok()}, or EWOULDBLOCK for a conflict with LOCK_NB
     */
    default void flock(long ino, FileInfo fi, int op, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Allocates or punches space (fallocate(2)). Not implemented: fallocate(2)
     * fails with EOPNOTSUPP.
     *
     * @param ino    the inode number
     * @param mode   fallocate(2)'s mode: 0, or FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, ...
     * @param offset the start of the range, in bytes
     * @param length the range's length, in bytes
     * @param fi     the open file
     * @param reply  the answer: {@link ReplyEmpty#ok()}, or EOPNOTSUPP for a mode the filesystem lacks
     */
    default void fallocate(long ino, int mode, long offset, long length, FileInfo fi, ReplyEmpty reply) {
        throw notImplemented();
    }

    /**
     * Copies a range between two open files of this mount without the data
     * passing through the caller. Not implemented: the kernel copies through
     * read and write.
     *
     * @param inoIn  the source file's inode number
     * @param offIn  the position to copy from, in bytes
     * @param fiIn   the source's open file; its own {@link FileInfo} object, not {@code fiOut}
     * @param inoOut the destination file's inode number
     * @param offOut the position to copy to, in bytes
     * @param fiOut  the destination's open file
     * @param length the most bytes to copy
     * @param flags  copy_file_range(2)'s flags
     * @param reply  the answer: {@link ReplyWrite#written} with the bytes copied (fewer is a short copy)
     */
    default void copyFileRange(long inoIn, long offIn, FileInfo fiIn, long inoOut, long offOut, FileInfo fiOut,
            long length, int flags, ReplyWrite reply) {
        throw notImplemented();
    }

    /**
     * Finds data or a hole.
     *
     * @param ino    the inode number
     * @param offset where to start looking, in bytes
     * @param whence SEEK_DATA or SEEK_HOLE (the kernel handles the others itself)
     * @param fi     the open file
     * @param reply  the answer: {@link ReplyLseek#offset}, or ENXIO past the end
     */
    default void lseek(long ino, long offset, int whence, FileInfo fi, ReplyLseek reply) {
        throw notImplemented();
    }
}
