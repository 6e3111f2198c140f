package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.panfuse.bindings.file_handle;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inodes the kernel currently knows, keyed by node id (the kernel's name)
 * and by (st_dev, st_ino) (the source's), with their lookup counts.
 *
 * <p>Each inode's O_PATH descriptor lives in a bounded cache: past
 * {@link #capacity} open descriptors, the least recently used unpinned ones
 * are closed, and re-opened on next use with open_by_handle_at from the
 * kernel file handle taken at lookup. So the number of inodes is not bounded
 * by the descriptor limit. Where handles are unusable (no
 * CAP_DAC_READ_SEARCH, or a filesystem without export support) an inode
 * keeps its descriptor for as long as the kernel knows it.
 */
final class InodeTable implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InodeTable.class);
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");
    private static final long HANDLE_BUFFER = file_handle.sizeof() + MAX_HANDLE_SZ();

    private final ConcurrentHashMap<Long, Inode> byNodeId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InodeKey, Inode> byKey = new ConcurrentHashMap<>();
    private final AtomicLong nextNodeId = new AtomicLong(FUSE_ROOT_ID() + 1);
    private final AtomicInteger openDescriptors = new AtomicInteger();
    private final ReentrantLock evicting = new ReentrantLock();
    private final ThreadLocal<MemorySegment> handleBuffer = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(HANDLE_BUFFER + ValueLayout.JAVA_INT.byteSize(), 8));
    private final Inode root;
    /** A plain (not O_PATH) descriptor of the source root: open_by_handle_at refuses O_PATH ones. */
    private final int mountFd;
    private final boolean handlesUsable;
    private final int capacity;

    /**
     * @param rootFd   an O_PATH descriptor of the source directory, owned by the table from now on
     * @param capacity the number of O_PATH descriptors to keep open at most
     */
    InodeTable(int rootFd, int capacity) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            Libc.fstatat(rootFd, EMPTY, st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            byte[] rootHandle = handleOf(rootFd);
            this.mountFd = Libc.openat(rootFd, arena.allocateFrom("."), O_RDONLY() | O_DIRECTORY() | O_CLOEXEC(), 0);
            this.handlesUsable = rootHandle != null && canReopen(rootHandle);
            this.root = new Inode(FUSE_ROOT_ID(), stat.st_dev(st), stat.st_ino(st), stat.st_mode(st) & S_IFMT(),
                    null, rootFd);
        }
        root.lookups = Long.MAX_VALUE / 2;
        root.pins = 1; // the root's descriptor is never closed while the table lives
        byNodeId.put(root.nodeId, root);
        byKey.put(new InodeKey(root.dev, root.ino), root);
        openDescriptors.incrementAndGet();
        this.capacity = handlesUsable ? Math.max(16, capacity) : Integer.MAX_VALUE;
        if (!handlesUsable) {
            LOG.warn("kernel file handles are unusable here (open_by_handle_at needs CAP_DAC_READ_SEARCH and a source "
                    + "filesystem that supports them): every inode keeps its descriptor while the kernel knows it, "
                    + "so the descriptor limit bounds the number of inodes");
        }
    }

    boolean handlesUsable() {
        return handlesUsable;
    }

    int capacity() {
        return capacity;
    }

    Inode root() {
        return root;
    }

    /** The number of inodes the kernel knows (root included). */
    int size() {
        return byNodeId.size();
    }

    /** O_PATH descriptors open right now. */
    int openDescriptors() {
        return openDescriptors.get();
    }

    Inode get(long nodeId) {
        Inode inode = byNodeId.get(nodeId);
        if (inode == null) {
            throw ErrnoException.of(ESTALE());
        }
        return inode;
    }

    /** Pins the inode's descriptor (re-opening it if it was evicted) and returns it; pair with {@link #release}. */
    int acquire(Inode inode) {
        boolean reopened = false;
        int fd;
        synchronized (inode) {
            if (inode.fd < 0) {
                if (inode.removed || inode.handle == null) {
                    throw ErrnoException.of(ESTALE());
                }
                inode.fd = reopen(inode.handle);
                openDescriptors.incrementAndGet();
                reopened = true;
            }
            inode.pins++;
            inode.recentlyUsed = true;
            fd = inode.fd;
        }
        if (reopened) {
            evictIfFull();
        }
        return fd;
    }

    void release(Inode inode) {
        synchronized (inode) {
            inode.pins--;
            if (inode.pins == 0 && inode.removed) {
                closeDescriptor(inode);
            }
        }
    }

    /**
     * Resolves {@code name} in the directory {@code parentFd}, fills {@code attr}
     * with its attributes, and counts one lookup on its inode (made if new).
     *
     * <p>An inode is the source object, not its number: a number the source
     * reused for a new object after the old one was deleted is a new inode. While
     * an inode's descriptor is open its object cannot go, so a matching
     * (st_dev, st_ino) is that object; once the descriptor was closed to make
     * room, the kernel file handle (which carries the inode's generation) decides.
     */
    Inode lookup(int parentFd, MemorySegment name, MemorySegment attr) {
        Libc.fstatat(parentFd, name, attr, AT_SYMLINK_NOFOLLOW());
        Inode known = byKey.get(new InodeKey(stat.st_dev(attr), stat.st_ino(attr)));
        if (known != null && known.tryAddLookupWhileOpen()) {
            return known;
        }
        return adopt(Libc.openat(parentFd, name, O_PATH() | O_NOFOLLOW() | O_CLOEXEC(), 0), attr);
    }

    /**
     * Counts one lookup on the object open as {@code file} (just created: found
     * by its descriptor, not by a name that could have been swapped since), and
     * fills {@code attr}.
     */
    Inode lookupOpened(int file, MemorySegment attr) {
        return adopt(Libc.openat(AT_FDCWD(), ProcFdPath.of(file), O_PATH() | O_CLOEXEC(), 0), attr);
    }

    /** Registers the object behind the O_PATH descriptor {@code fd}, which the table owns from now on. */
    private Inode adopt(int fd, MemorySegment attr) {
        long dev;
        byte[] handle;
        try {
            // Describe what was opened, not what the name meant a moment ago.
            Libc.fstatat(fd, EMPTY, attr, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            dev = stat.st_dev(attr);
            handle = handlesUsable && dev == root.dev ? handleOf(fd) : null;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        Inode fresh = new Inode(nextNodeId.getAndIncrement(), dev, stat.st_ino(attr), stat.st_mode(attr) & S_IFMT(),
                handle, fd);
        fresh.lookups = 1;
        Inode winner = byKey.compute(new InodeKey(fresh.dev, fresh.ino), (key, existing) ->
                existing != null && existing.tryAddLookupIfSame(handle) ? existing : fresh);
        if (winner != fresh) {
            if (!winner.adoptDescriptor(fd)) {
                Libc.close(fd);
            } else {
                openDescriptors.incrementAndGet();
                evictIfFull();
            }
            return winner;
        }
        // A stale inode that had this number stays known by node id until the kernel forgets it;
        // its handle no longer opens anything, so it answers ESTALE, as the object is gone.
        byNodeId.put(fresh.nodeId, fresh);
        openDescriptors.incrementAndGet();
        evictIfFull();
        return fresh;
    }

    /** Counts one more lookup on an inode the kernel already knows (link, readdirplus of a known entry). */
    void addLookup(Inode inode) {
        if (!inode.tryAddLookup(1)) {
            throw ErrnoException.of(ESTALE());
        }
    }

    /** The kernel drops {@code n} references; at zero the inode goes. */
    void forget(long nodeId, long n) {
        Inode inode = byNodeId.get(nodeId);
        if (inode == null || inode == root) {
            return;
        }
        synchronized (inode) {
            inode.lookups -= n;
            if (inode.lookups > 0) {
                return;
            }
            inode.removed = true;
            if (inode.pins == 0) {
                closeDescriptor(inode);
            }
        }
        byKey.remove(new InodeKey(inode.dev, inode.ino), inode);
        byNodeId.remove(nodeId, inode);
    }

    private void closeDescriptor(Inode inode) {
        if (inode.fd >= 0) {
            Libc.close(inode.fd);
            inode.fd = -1;
            openDescriptors.decrementAndGet();
        }
    }

    /** Closes descriptors, least recently used first, until 90% of capacity are left. */
    private void evictIfFull() {
        if (openDescriptors.get() <= capacity || !evicting.tryLock()) {
            return;
        }
        try {
            int target = capacity - capacity / 10;
            // Two sweeps: the first clears recently-used marks it passes (second chance).
            for (int sweep = 0; sweep < 2 && openDescriptors.get() > target; sweep++) {
                for (Inode inode : byNodeId.values()) {
                    if (openDescriptors.get() <= target) {
                        return;
                    }
                    synchronized (inode) {
                        if (inode.fd < 0 || inode.pins > 0 || !inode.evictable()) {
                            continue;
                        }
                        if (inode.recentlyUsed) {
                            inode.recentlyUsed = false;
                            continue;
                        }
                        closeDescriptor(inode);
                    }
                }
            }
        } finally {
            evicting.unlock();
        }
    }

    /** The kernel file handle of {@code fd}, or null where the filesystem has none. */
    private byte[] handleOf(int fd) {
        MemorySegment buf = handleBuffer.get();
        MemorySegment handle = buf.asSlice(0, HANDLE_BUFFER);
        MemorySegment mountId = buf.asSlice(HANDLE_BUFFER, ValueLayout.JAVA_INT.byteSize());
        file_handle.handle_bytes(handle, MAX_HANDLE_SZ());
        try {
            Libc.nameToHandleAt(fd, EMPTY, handle, mountId, AT_EMPTY_PATH());
        } catch (ErrnoException e) {
            return null;
        }
        long length = file_handle.sizeof() + Integer.toUnsignedLong(file_handle.handle_bytes(handle));
        return handle.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private int reopen(byte[] handle) {
        MemorySegment buf = handleBuffer.get();
        MemorySegment.copy(handle, 0, buf, ValueLayout.JAVA_BYTE, 0, handle.length);
        return Libc.openByHandleAt(mountFd, buf, O_PATH() | O_NOFOLLOW() | O_CLOEXEC());
    }

    private boolean canReopen(byte[] handle) {
        try {
            Libc.close(reopen(handle));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** Closes every descriptor, the root's included. */
    @Override
    public void close() {
        for (Inode inode : byNodeId.values()) {
            synchronized (inode) {
                inode.removed = true;
                closeDescriptor(inode);
            }
        }
        byNodeId.clear();
        byKey.clear();
        Libc.close(mountFd);
    }
}
