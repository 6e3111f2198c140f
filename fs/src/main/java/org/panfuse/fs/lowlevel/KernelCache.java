package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.panfuse.bindings.fuse_buf;
import org.panfuse.bindings.fuse_bufvec;
import org.panfuse.fs.errno.ErrnoException;

/**
 * Tells the kernel that the filesystem's data changed behind its back, so
 * that what it caches (attributes, file data, names) is dropped or replaced
 * before its timeout: libfuse's {@code fuse_lowlevel_notify_*} calls, for
 * one mount ({@link FuseMount#kernelCache()}).
 *
 * <p>Each call returns true when the kernel had something cached and acted
 * on it, and false when it had nothing to act on (libfuse's -ENOENT: the
 * inode or name is not in its cache, which is not an error: nothing stale
 * can be seen). Any other refusal throws {@link ErrnoException} with the
 * kernel's errno (ENOSYS: the kernel does not have the notification;
 * ENOTDIR: the parent is not a directory; ...); libfuse also prints those as
 * "fuse: writing device: ..." on stderr, which cannot be redirected.
 *
 * <p><b>Threads.</b> Any thread may call, concurrently with each other and
 * with the filesystem's operations, and also from inside an operation,
 * except where it would deadlock: the kernel holds locks while it waits for
 * an operation's answer, and a notification that needs the same lock waits
 * for them. Do not invalidate a name ({@link #invalidateEntry},
 * {@link #deleted}) from the execution path of a related operation: a
 * lookup, symlink, mknod, mkdir, unlink, rename, link or create in the
 * parent directory, or a setattr, unlink, rmdir, rename, setxattr,
 * removexattr, readdir or readdirplus of the entry itself; nor while holding
 * a lock such an operation needs. Hand the call to another thread instead
 * (that thread may then wait until the operation has answered). With the
 * writeback cache on, {@link #invalidateInode} writes the inode's dirty pages
 * back first and blocks until that is done, which takes the filesystem's
 * workers: never call it from the inode's own write path.
 *
 * <p><b>Lifetime.</b> The calls work while the mount is served. Once
 * {@link FuseMount#close()} has begun they throw
 * {@link IllegalStateException}; a call already under way when close begins
 * is let finish first (close waits for it), so none touches the freed
 * session. After the filesystem was unmounted from outside, and before
 * close, the kernel refuses them (an {@link ErrnoException}).
 */
public final class KernelCache {
    private final MemorySegment session;
    private final Path mountpoint;
    /** Notifications hold it shared; close takes it exclusively, so that none is inside libfuse after. */
    private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
    private volatile boolean closing;

    KernelCache(MemorySegment session, Path mountpoint) {
        this.session = session;
        this.mountpoint = mountpoint;
    }

    /**
     * Invalidates what the kernel caches of an inode: its attributes always,
     * and its data from {@code offset} on, {@code length} bytes of it (0 or
     * negative: to the end), in whole pages. A negative {@code offset} leaves
     * the data alone (attributes only, as {@link #invalidateAttributes}). The
     * next stat and read of the range then reach the filesystem.
     *
     * @param ino    the inode number
     * @param offset where the data to drop starts, in bytes; negative to keep the data
     * @param length how many bytes to drop; 0 or negative for all to the end
     * @return false if the kernel had no such inode cached (nothing to do)
     * @throws ErrnoException        if the kernel refused the notification
     * @throws IllegalStateException if the mount is closed
     */
    public boolean invalidateInode(long ino, long offset, long length) {
        return result(call(() -> fuse_lowlevel_notify_inval_inode(session, ino, offset, length)));
    }

    /**
     * Invalidates an inode's cached attributes (size, times, mode, ...) and
     * keeps its cached data; as {@code invalidateInode(ino, -1, 0)}.
     *
     * @param ino the inode number
     * @return false if the kernel had no such inode cached (nothing to do)
     * @throws ErrnoException        if the kernel refused the notification
     * @throws IllegalStateException if the mount is closed
     */
    public boolean invalidateAttributes(long ino) {
        return invalidateInode(ino, -1, 0);
    }

    /**
     * Drops the kernel's cached entry {@code name} in directory
     * {@code parent} (whether positive or negative) and the parent's
     * attributes: the next use of the name looks it up again. For a name
     * that now leads to another inode, or that appeared, or that is gone
     * (for a gone name, {@link #deleted} also tells inotify watchers). See
     * the class comment for when this must not be called.
     *
     * @param parent the directory's inode number
     * @param name   the name, encoded as UTF-8
     * @return false if the kernel had no such entry (or parent) cached
     * @throws IllegalArgumentException if {@code name} is empty or contains '/' or NUL
     * @throws ErrnoException           if the kernel refused the notification (e.g. ENAMETOOLONG)
     * @throws IllegalStateException    if the mount is closed
     */
    public boolean invalidateEntry(long parent, String name) {
        return invalidateEntry(parent, name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #invalidateEntry(long, String)} for a name given as its bytes
     * (names need not be UTF-8).
     *
     * @param parent the directory's inode number
     * @param name   the name's bytes, only read during the call
     * @return false if the kernel had no such entry (or parent) cached
     * @throws IllegalArgumentException if {@code name} is empty or contains '/' or NUL
     * @throws ErrnoException           if the kernel refused the notification (e.g. ENAMETOOLONG)
     * @throws IllegalStateException    if the mount is closed
     */
    public boolean invalidateEntry(long parent, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = cName(arena, name);
            return result(call(() -> fuse_lowlevel_notify_inval_entry(session, parent, c, name.length)));
        }
    }

    /**
     * The file or directory {@code child}, named {@code name} in
     * {@code parent}, was deleted behind the kernel's back: as
     * {@link #invalidateEntry}, and if the cached entry still leads to
     * {@code child}, the kernel also marks it deleted and tells inotify
     * watchers. See the class comment for when this must not be called.
     *
     * @param parent the directory's inode number
     * @param child  the inode number the name led to
     * @param name   the name, encoded as UTF-8
     * @return false if the kernel had no such entry cached, or its entry
     *         leads to another inode than {@code child} (the entry is then
     *         dropped all the same, as by {@link #invalidateEntry})
     * @throws IllegalArgumentException if {@code name} is empty or contains '/' or NUL
     * @throws ErrnoException           if the kernel refused the notification (e.g. ENOTEMPTY
     *                                  for a directory whose cached entries are still in use,
     *                                  EBUSY for a mount point)
     * @throws IllegalStateException    if the mount is closed
     */
    public boolean deleted(long parent, long child, String name) {
        return deleted(parent, child, name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #deleted(long, long, String)} for a name given as its bytes.
     *
     * @param parent the directory's inode number
     * @param child  the inode number the name led to
     * @param name   the name's bytes, only read during the call
     * @return false if the kernel had no such entry cached, or its entry
     *         leads to another inode than {@code child}
     * @throws IllegalArgumentException if {@code name} is empty or contains '/' or NUL
     * @throws ErrnoException           if the kernel refused the notification
     * @throws IllegalStateException    if the mount is closed
     */
    public boolean deleted(long parent, long child, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = cName(arena, name);
            return result(call(() -> fuse_lowlevel_notify_delete(session, parent, child, c, name.length)));
        }
    }

    /**
     * Puts {@code data} into the kernel's page cache of {@code ino} at
     * {@code offset}, marked up to date: reads of it are then answered
     * from the cache without reaching the filesystem (until invalidated or
     * evicted). Data past the cached size grows the file as a write would.
     * A page that was not cached before is only marked up to date if the
     * data fills it (or reaches the end of the file); otherwise the kernel
     * still reads the rest of it from the filesystem. On an error the data
     * may have been stored in part.
     *
     * @param ino    the inode number
     * @param offset where the data goes in the file, in bytes
     * @param data   the bytes; only read during the call
     * @return false if the kernel had no such inode cached (nothing stored)
     * @throws ErrnoException        if the kernel refused the notification
     * @throws IllegalStateException if the mount is closed
     */
    public boolean store(long ino, long offset, byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, copy, ValueLayout.JAVA_BYTE, 0, data.length);
            return store(arena, ino, offset, copy.asSlice(0, data.length));
        }
    }

    /**
     * {@link #store(long, long, byte[])} for the bytes of a segment: an
     * off-heap segment is handed to the kernel as it is, a heap segment is
     * copied first.
     *
     * @param ino    the inode number
     * @param offset where the data goes in the file, in bytes
     * @param data   all of its bytes are stored; it must stay alive during the call, and is only read
     * @return false if the kernel had no such inode cached (nothing stored)
     * @throws ErrnoException        if the kernel refused the notification
     * @throws IllegalStateException if the mount is closed
     */
    public boolean store(long ino, long offset, MemorySegment data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = data;
            if (!data.isNative()) {
                off = arena.allocate(Math.max(1, data.byteSize())).asSlice(0, data.byteSize());
                off.copyFrom(data);
            }
            return store(arena, ino, offset, off);
        }
    }

    private boolean store(Arena arena, long ino, long offset, MemorySegment data) {
        MemorySegment vec = fuse_bufvec.allocate(arena);
        vec.fill((byte) 0);
        fuse_bufvec.count(vec, 1);
        // buf is an array of one: the field itself is buf[0] (see RequestReplies).
        MemorySegment buf = fuse_bufvec.buf(vec);
        fuse_buf.size(buf, data.byteSize());
        fuse_buf.mem(buf, data);
        fuse_buf.fd(buf, -1);
        // No splice: it would give the calling thread a pipe of libfuse's, per thread and never freed
        // for threads that outlive the session.
        return result(call(() -> fuse_lowlevel_notify_store(session, ino, offset, vec, FUSE_BUF_NO_SPLICE())));
    }

    /** A name as libfuse sends it: its bytes and a NUL (the kernel checks that it is there). */
    private static MemorySegment cName(Arena arena, byte[] name) {
        if (name.length == 0) {
            throw new IllegalArgumentException("empty name");
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                throw new IllegalArgumentException("a name cannot contain '/' or NUL: "
                        + new String(name, StandardCharsets.UTF_8));
            }
        }
        MemorySegment c = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, c, ValueLayout.JAVA_BYTE, 0, name.length);
        return c;
    }

    private interface Notification {
        int send();
    }

    private int call(Notification n) {
        // Checked before the lock too: once close waits for it, a new reader would queue behind close
        // (and a worker queued there could hold up the very notification close waits for).
        if (closing) {
            throw closed();
        }
        inFlight.readLock().lock();
        try {
            if (closing) {
                throw closed();
            }
            return n.send();
        } finally {
            inFlight.readLock().unlock();
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException("the mount on " + mountpoint
                + " is closed: the kernel's cache cannot be told anything anymore");
    }

    private static boolean result(int rc) {
        if (rc == 0) {
            return true;
        }
        int errno = Math.abs(rc);
        if (errno == ENOENT()) {
            return false;
        }
        throw ErrnoException.of(errno);
    }

    /**
     * Refuses further notifications and waits up to {@code timeout} for
     * those under way to end. True once none is under way: the session can
     * then be unmounted and freed; false if one is still inside libfuse.
     * Called by {@link FuseMount} before it ends the session; may be called
     * again after a false.
     */
    boolean close(long timeout, TimeUnit unit) {
        closing = true;
        boolean interrupted = false;
        try {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                try {
                    // Any notification that takes the lock after this sees 'closing' and sends nothing.
                    if (inFlight.writeLock().tryLock(Math.max(0, deadline - System.nanoTime()),
                            TimeUnit.NANOSECONDS)) {
                        inFlight.writeLock().unlock();
                        return true;
                    }
                    return false;
                } catch (InterruptedException e) {
                    // Closing must still know whether the session can be freed: keep waiting.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
