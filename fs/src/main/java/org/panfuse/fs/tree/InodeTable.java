package org.panfuse.fs.tree;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.panfuse.bindings.file_handle;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inodes the kernel currently knows, of one source or of several, keyed
 * by node id (the kernel's name) and by (source, st_dev, st_ino) (the
 * sources'), with their lookup counts.
 *
 * <p>A view of one source has that source's directory as its root. A view of
 * several has a virtual, read-only root with one entry per source, in the
 * configured order; each source's directory is then an inode of its own.
 * Both are served by the same table and the same operations.
 *
 * <p>Each inode's O_PATH descriptor lives in a bounded cache: past
 * {@link #capacity} open descriptors, the least recently used unpinned ones
 * are closed, and re-opened on next use with open_by_handle_at from the
 * kernel file handle taken at lookup. So the number of inodes is not bounded
 * by the descriptor limit. Where handles are unusable (no
 * CAP_DAC_READ_SEARCH, or a filesystem without export support) an inode
 * keeps its descriptor for as long as the kernel knows it.
 *
 * <p>Thread-safe: the operations of a mount call it from every worker at
 * once. {@code MemorySegment} arguments are native memory the caller owns,
 * used during the call only: names are NUL-terminated C strings, and
 * {@code attr} is a {@code struct stat}. Failing system calls throw
 * {@link ErrnoException} with their errno.
 */
public final class InodeTable implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InodeTable.class);
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");
    private static final long HANDLE_BUFFER = file_handle.sizeof() + MAX_HANDLE_SZ();
    private static final int S_IFMT = S_IFMT();
    private static final int S_IFDIR = S_IFDIR();

    private final ConcurrentHashMap<Long, Inode> byNodeId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InodeKey, Inode> byKey = new ConcurrentHashMap<>();
    private final AtomicLong nextNodeId = new AtomicLong(FUSE_ROOT_ID() + 1);
    private final AtomicInteger openDescriptors = new AtomicInteger();
    private final ReentrantLock evicting = new ReentrantLock();
    private final ThreadLocal<MemorySegment> handleBuffer = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(HANDLE_BUFFER + ValueLayout.JAVA_INT.byteSize(), 8));
    private final List<Source> sources;
    /** Each source's directory, by the source's index. */
    private final List<Inode> sourceRoots = new ArrayList<>();
    private final Inode root;
    private final VirtualRoot virtualRoot;
    private final int capacity;

    private InodeTable(List<Source> sources, VirtualRoot virtualRoot, int capacity) {
        this.sources = List.copyOf(sources);
        this.virtualRoot = virtualRoot;
        boolean allHandlesUsable = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            for (Source s : sources) {
                byte[] handle = handleOf(s.rootFd);
                s.handlesUsable = handle != null && canReopen(s, handle);
                allHandlesUsable &= s.handlesUsable;
                Libc.fstatat(s.rootFd, EMPTY, st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
                long nodeId = virtualRoot == null ? FUSE_ROOT_ID() : nextNodeId.getAndIncrement();
                Inode dir = new Inode(nodeId, s, false, stat.st_dev(st), stat.st_ino(st), stat.st_mode(st) & S_IFMT,
                        null, s.rootFd);
                // A source's directory is known for as long as the table lives; its descriptor is the source's.
                dir.lookups = Long.MAX_VALUE / 2;
                dir.pins = 1;
                dir.permanent = true;
                byNodeId.put(dir.nodeId, dir);
                byKey.put(new InodeKey(s.index(), dir.dev, dir.ino), dir);
                sourceRoots.add(dir);
            }
        }
        if (virtualRoot != null) {
            this.root = new Inode(FUSE_ROOT_ID(), null, false, 0, FUSE_ROOT_ID(), S_IFDIR, null, -1);
            root.lookups = Long.MAX_VALUE / 2;
            root.permanent = true;
            byNodeId.put(root.nodeId, root);
        } else {
            this.root = sourceRoots.get(0);
        }
        this.capacity = allHandlesUsable ? Math.max(16, capacity) : Integer.MAX_VALUE;
        if (!allHandlesUsable) {
            LOG.warn("kernel file handles are unusable here (open_by_handle_at needs CAP_DAC_READ_SEARCH and a source "
                    + "filesystem that supports them): every inode keeps its descriptor while the kernel knows it, "
                    + "so the descriptor limit bounds the number of inodes");
        }
    }

    /**
     * A table for a view of the one directory {@code source}: its root is that
     * directory, and the inode numbers shown are the source's own.
     *
     * @param source   the directory
     * @param capacity the number of O_PATH descriptors to keep open at most (16 at least)
     * @return the table, owning the source's descriptors until {@link #close()}
     * @throws ErrnoException if the source cannot be opened as a directory
     */
    public static InodeTable ofSource(Path source, int capacity) {
        Source s = Source.open(0, SourceSpec.of(null, source), true);
        try {
            return new InodeTable(List.of(s), null, capacity);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A table for a view of several sources under a virtual, read-only root
     * with one entry per source, in this order. The root's times are
     * {@code rootTime} (the configuration's), so that they change only when the
     * configuration does.
     *
     * @param specs           the sources, in the order of the root's entries
     * @param capacity        the number of O_PATH descriptors to keep open at most (16 at least)
     * @param rootTimeSeconds the root's times, seconds since the epoch
     * @param rootTimeNanos   the root's times, nanoseconds within the second
     * @return the table, owning the sources' descriptors until {@link #close()}
     * @throws ErrnoException if a source cannot be opened as a directory
     */
    public static InodeTable ofSources(List<SourceSpec> specs, int capacity, long rootTimeSeconds, long rootTimeNanos) {
        List<Source> opened = new ArrayList<>();
        try {
            for (SourceSpec spec : specs) {
                opened.add(Source.open(opened.size(), spec, false));
            }
            return new InodeTable(opened, new VirtualRoot(rootTimeSeconds, rootTimeNanos, geteuid(), getegid()),
                    capacity);
        } catch (RuntimeException e) {
            opened.forEach(Source::close);
            throw e;
        }
    }

    /** {@return the sources, in their configured order} */
    public List<Source> sources() {
        return sources;
    }

    /** {@return true if every source's objects can be re-opened from kernel file handles} */
    public boolean handlesUsable() {
        return sources.stream().allMatch(s -> s.handlesUsable);
    }

    /**
     * {@return the O_PATH descriptors kept open at most (unbounded where
     * handles are unusable)}
     */
    public int capacity() {
        return capacity;
    }

    /** {@return the root: the single source's directory, or the virtual root of several} */
    public Inode root() {
        return root;
    }

    /** {@return the number of inodes the kernel knows (root and sources' directories included)} */
    public int size() {
        return byNodeId.size();
    }

    /** {@return the O_PATH descriptors open right now (the sources' own included)} */
    public int openDescriptors() {
        return openDescriptors.get() + sources.size();
    }

    /**
     * {@return the inode the kernel knows as {@code nodeId}}
     *
     * @param nodeId the kernel's number for it
     * @throws ErrnoException ESTALE if there is none (forgotten, or never known)
     */
    public Inode get(long nodeId) {
        Inode inode = byNodeId.get(nodeId);
        if (inode == null) {
            throw ErrnoException.of(ESTALE());
        }
        return inode;
    }

    /**
     * Pins the inode's descriptor (re-opening it if it was evicted) and
     * returns it; pair with {@link #release}. A pinned descriptor is never
     * closed under the caller.
     *
     * @param inode an inode of this table, not the virtual root
     * @return the inode's O_PATH descriptor, valid until {@link #release}
     * @throws IllegalArgumentException if {@code inode} is the virtual root
     * @throws ErrnoException           ESTALE if the inode was forgotten or its object is gone
     */
    public int acquire(Inode inode) {
        if (inode.isVirtualRoot()) {
            throw new IllegalArgumentException("the virtual root has no descriptor");
        }
        boolean reopened = false;
        int fd;
        synchronized (inode) {
            if (inode.fd < 0) {
                if (inode.removed || inode.handle == null) {
                    throw ErrnoException.of(ESTALE());
                }
                inode.fd = reopen(inode.source, inode.handle);
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

    /**
     * Unpins the inode's descriptor, pinned by {@link #acquire}; the
     * descriptor of a forgotten inode closes with its last pin.
     *
     * @param inode the inode acquired
     */
    public void release(Inode inode) {
        synchronized (inode) {
            inode.pins--;
            if (inode.pins == 0 && inode.removed) {
                closeDescriptor(inode);
            }
        }
    }

    // ---- lookups

    /**
     * Resolves {@code name} in the directory {@code parent} (open as
     * {@code parentFd}; for the virtual root, -1), fills {@code attr} with its
     * attributes as the view shows them, and counts one lookup on its inode
     * (made if new). An excluded name, and anything inside a one_file_system
     * boundary, is not there (ENOENT).
     *
     * <p>An inode is the source object, not its number: a number the source
     * reused for a new object after the old one was deleted is a new inode. While
     * an inode's descriptor is open its object cannot go, so a matching
     * (st_dev, st_ino) is that object; once the descriptor was closed to make
     * room, the kernel file handle (which carries the inode's generation) decides.
     *
     * @param parent   the directory
     * @param parentFd its descriptor, pinned by the caller (-1 for the virtual root)
     * @param name     the NUL-terminated name
     * @param attr     a {@code struct stat}, filled with the entry's attributes
     * @return the inode, its lookup counted
     * @throws ErrnoException ENOENT if there is no such (visible) name, or the errno of the lookup
     */
    public Inode lookup(Inode parent, int parentFd, MemorySegment name, MemorySegment attr) {
        if (parent.isVirtualRoot()) {
            return lookupSource(name, attr);
        }
        if (parent.boundary) {
            throw ErrnoException.of(ENOENT());
        }
        Source source = parent.source;
        Libc.fstatat(parentFd, name, attr, AT_SYMLINK_NOFOLLOW());
        if (isExcluded(source, parentFd, name, (stat.st_mode(attr) & S_IFMT) == S_IFDIR)) {
            throw ErrnoException.of(ENOENT());
        }
        Inode known = byKey.get(new InodeKey(source.index(), stat.st_dev(attr), stat.st_ino(attr)));
        if (known != null && known.tryAddLookupWhileOpen()) {
            present(known, attr);
            return known;
        }
        return adopt(source, Libc.openat(parentFd, name, O_PATH() | O_NOFOLLOW() | O_CLOEXEC(), 0), attr);
    }

    /**
     * Counts one lookup on the object open as {@code file} in {@code parent}'s
     * source (just created: found by its descriptor, not by a name that could
     * have been swapped since), and fills {@code attr}.
     *
     * @param parent the directory it was made in
     * @param file   a descriptor of the new object (any kind; the table opens its own O_PATH one)
     * @param attr   a {@code struct stat}, filled with its attributes
     * @return the inode, its lookup counted
     */
    public Inode lookupOpened(Inode parent, int file, MemorySegment attr) {
        return adopt(parent.source, Libc.openat(AT_FDCWD(), ProcFdPath.of(file), O_PATH() | O_CLOEXEC(), 0), attr);
    }

    private Inode lookupSource(MemorySegment name, MemorySegment attr) {
        for (Inode dir : sourceRoots) {
            if (dir.source.isNamed(name)) {
                addLookup(dir);
                statInto(dir, dir.fd, attr);
                return dir;
            }
        }
        throw ErrnoException.of(ENOENT());
    }

    /** Registers the object behind the O_PATH descriptor {@code fd}, which the table owns from now on. */
    private Inode adopt(Source source, int fd, MemorySegment attr) {
        long dev;
        byte[] handle;
        try {
            // Describe what was opened, not what the name meant a moment ago.
            Libc.fstatat(fd, EMPTY, attr, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            dev = stat.st_dev(attr);
            handle = source.handlesUsable && dev == source.dev ? handleOf(fd) : null;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        int type = stat.st_mode(attr) & S_IFMT;
        boolean boundary = source.oneFileSystem() && type == S_IFDIR && dev != source.dev;
        Inode fresh = new Inode(nextNodeId.getAndIncrement(), source, boundary, dev, stat.st_ino(attr), type,
                handle, fd);
        fresh.lookups = 1;
        Inode winner = byKey.compute(new InodeKey(source.index(), fresh.dev, fresh.ino), (key, existing) ->
                existing != null && existing.tryAddLookupIfSame(handle) ? existing : fresh);
        present(winner, attr);
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

    /**
     * Counts one more lookup on an inode the kernel already knows (link,
     * readdirplus of a known entry).
     *
     * @param inode the inode
     * @throws ErrnoException ESTALE if it has been forgotten meanwhile
     */
    public void addLookup(Inode inode) {
        if (!inode.tryAddLookup(1)) {
            throw ErrnoException.of(ESTALE());
        }
    }

    /**
     * The kernel drops {@code n} references; at zero the inode goes (its
     * descriptor closes with its last pin). The root and sources' directories
     * stay; an unknown node id is ignored.
     *
     * @param nodeId the kernel's number for the inode
     * @param n      the references dropped
     */
    public void forget(long nodeId, long n) {
        Inode inode = byNodeId.get(nodeId);
        if (inode == null || inode.permanent) {
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
        byKey.remove(new InodeKey(inode.source.index(), inode.dev, inode.ino), inode);
        byNodeId.remove(nodeId, inode);
    }

    // ---- what the view shows

    /**
     * Puts the view's inode number for {@code inode} into {@code attr}.
     *
     * @param inode the inode
     * @param attr  a {@code struct stat} of that object, whose st_ino is replaced
     */
    public void present(Inode inode, MemorySegment attr) {
        stat.st_ino(attr, viewIno(inode));
    }

    /**
     * {@return the inode number the view shows for {@code inode} (st_ino)}
     *
     * @param inode the inode
     */
    public long viewIno(Inode inode) {
        return inode.isVirtualRoot() ? FUSE_ROOT_ID() : inode.source.numbers.of(inode.dev, inode.ino);
    }

    /**
     * {@return the inode number the view shows for a directory entry of
     * {@code dir} (d_ino), taken to be on the directory's device}
     *
     * @param dir      the directory listed
     * @param entryIno the entry's inode number in the source (d_ino as read)
     */
    public long viewIno(Inode dir, long entryIno) {
        return dir.source.numbers.of(dir.dev, entryIno);
    }

    /**
     * Fills {@code attr} with the attributes of {@code inode}, as the view shows them.
     *
     * @param inode the inode
     * @param fd    its descriptor, pinned by the caller
     * @param attr  a {@code struct stat}, filled
     */
    public void statInto(Inode inode, int fd, MemorySegment attr) {
        Libc.fstatat(fd, EMPTY, attr, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
        present(inode, attr);
    }

    /**
     * Fills {@code attr} with the attributes of {@code inode} from an open
     * file of it (fstat), as the view shows them.
     *
     * @param inode the inode
     * @param file  an open file of it
     * @param attr  a {@code struct stat}, filled
     */
    public void fstatInto(Inode inode, int file, MemorySegment attr) {
        Libc.fstat(file, attr);
        present(inode, attr);
    }

    /**
     * Fills {@code attr} with the virtual root's attributes: a read-only
     * directory of the server's owner, dated by the configuration. Only for a
     * table of several sources.
     *
     * @param attr a {@code struct stat}, filled (every field set)
     */
    public void virtualRootAttr(MemorySegment attr) {
        attr.fill((byte) 0);
        stat.st_ino(attr, FUSE_ROOT_ID());
        stat.st_mode(attr, S_IFDIR | 0555);
        stat.st_nlink(attr, 2 + sources.size());
        stat.st_uid(attr, virtualRoot.uid);
        stat.st_gid(attr, virtualRoot.gid);
        stat.st_blksize(attr, 4096);
        for (MemorySegment t : List.of(stat.st_atim(attr), stat.st_mtim(attr), stat.st_ctim(attr))) {
            timespec.tv_sec(t, virtualRoot.seconds);
            timespec.tv_nsec(t, virtualRoot.nanos);
        }
    }

    /** {@return the inode of each source's directory, in order (for the virtual root's listing)} */
    public List<Inode> sourceDirectories() {
        return sourceRoots;
    }

    /**
     * {@return the name under which {@code dir} is listed in the virtual root,
     * as UTF-8 bytes without a NUL}
     *
     * @param dir a source's directory, in a table of several sources
     */
    public static byte[] entryName(Inode dir) {
        return dir.source.name().getBytes(StandardCharsets.UTF_8);
    }

    // ---- what may change through the view

    /**
     * EROFS unless things may be changed at {@code inode}: not the virtual
     * root, not in a read-only source, not a one_file_system boundary.
     *
     * @param inode the inode to change, or to change something in
     * @throws ErrnoException EROFS if nothing may be changed there
     */
    public void requireWritable(Inode inode) {
        if (inode.isVirtualRoot() || inode.source.readOnly() || inode.boundary) {
            throw ErrnoException.of(EROFS());
        }
    }

    /**
     * EPERM if {@code name} in {@code dir} is excluded: the view never makes what it would then hide.
     *
     * @param dir       the directory
     * @param dirFd     its descriptor, pinned by the caller
     * @param name      the NUL-terminated name to be made
     * @param directory whether a directory is to be made
     * @throws ErrnoException EPERM if the name is excluded
     */
    public void requireNotExcluded(Inode dir, int dirFd, MemorySegment name, boolean directory) {
        if (isExcluded(dir.source, dirFd, name, directory)) {
            throw ErrnoException.of(EPERM());
        }
    }

    /**
     * ENOENT if {@code name} in {@code dir} is excluded: it is not there, so it cannot be removed or moved.
     *
     * @param dir       the directory
     * @param dirFd     its descriptor, pinned by the caller
     * @param name      the NUL-terminated name
     * @param directory whether it is a directory
     * @throws ErrnoException ENOENT if the name is excluded
     */
    public void requireVisible(Inode dir, int dirFd, MemorySegment name, boolean directory) {
        if (isExcluded(dir.source, dirFd, name, directory)) {
            throw ErrnoException.of(ENOENT());
        }
    }

    /**
     * For a rename, which does not say what it moves: ENOENT if {@code name}
     * in {@code from} is excluded as a file or as a directory, EPERM if
     * {@code newName} in {@code to} is. Each directory's place is read once.
     *
     * @param from    the directory the name is in
     * @param fromFd  its descriptor, pinned by the caller
     * @param name    the NUL-terminated name
     * @param to      the directory it goes to
     * @param toFd    its descriptor, pinned by the caller
     * @param newName the NUL-terminated new name
     * @throws ErrnoException ENOENT or EPERM as above
     */
    public void requireRenamable(Inode from, int fromFd, MemorySegment name, Inode to, int toFd,
            MemorySegment newName) {
        if (isExcludedAsEither(from.source, fromFd, name)) {
            throw ErrnoException.of(ENOENT());
        }
        if (isExcludedAsEither(to.source, toFd, newName)) {
            throw ErrnoException.of(EPERM());
        }
    }

    /**
     * EXDEV for a link or rename from one source into another: each source is a filesystem of its own.
     *
     * @param a one inode
     * @param b the other
     * @throws ErrnoException EXDEV if they belong to different sources
     */
    public static void requireSameSource(Inode a, Inode b) {
        if (a.source != b.source) {
            throw ErrnoException.of(EXDEV());
        }
    }

    // ---- excludes

    /**
     * True if the entry {@code name} of the directory open as {@code dirFd} in
     * {@code source} is excluded (or its directory has left the source).
     *
     * @param source    the source the directory belongs to
     * @param dirFd     the directory's descriptor, pinned by the caller
     * @param name      the NUL-terminated name
     * @param directory whether the entry is a directory
     * @return true if it is excluded
     */
    public boolean isExcluded(Source source, int dirFd, MemorySegment name, boolean directory) {
        if (source.excludes().isEmpty()) {
            return false;
        }
        String relative = source.relativePath(dirFd, cString(name));
        return relative == null || source.excludes().excludes(relative, directory);
    }

    private boolean isExcludedAsEither(Source source, int dirFd, MemorySegment name) {
        if (source.excludes().isEmpty()) {
            return false;
        }
        String relative = source.relativePath(dirFd, cString(name));
        return relative == null || source.excludes().excludes(relative, false)
                || source.excludes().excludes(relative, true);
    }

    /**
     * The excludes of the directory open as {@code dirFd}, for checking a whole
     * listing with one look at where the directory is.
     *
     * @param dir   the directory listed
     * @param dirFd its descriptor, pinned by the caller
     * @return its excludes, or null if its source excludes nothing
     */
    public DirectoryExcludes excludesIn(Inode dir, int dirFd) {
        Source source = dir.source;
        if (source == null || source.excludes().isEmpty()) {
            return null;
        }
        String prefix = source.relativePath(dirFd, "");
        return new DirectoryExcludes(source.excludes(), prefix);
    }

    /** The excludes of one directory, with its path inside the source worked out once. */
    public static final class DirectoryExcludes {
        private final Excludes excludes;
        /** The directory's path inside the source with a trailing '/', "" at the top, null if it left the source. */
        private final String prefix;

        DirectoryExcludes(Excludes excludes, String prefix) {
            this.excludes = excludes;
            this.prefix = prefix;
        }

        /**
         * {@return true if the entry {@code name} of this directory is excluded
         * (every entry is, if the directory has left the source)}
         *
         * @param name      the NUL-terminated name
         * @param directory whether the entry is a directory
         */
        public boolean excludes(MemorySegment name, boolean directory) {
            return prefix == null || excludes.excludes(prefix + cString(name), directory);
        }
    }

    private static String cString(MemorySegment name) {
        MemorySegment s = name.byteSize() == 0 ? name.reinterpret(4096) : name;
        return s.getString(0, StandardCharsets.UTF_8);
    }

    // ---- descriptors

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

    private int reopen(Source source, byte[] handle) {
        MemorySegment buf = handleBuffer.get();
        MemorySegment.copy(handle, 0, buf, ValueLayout.JAVA_BYTE, 0, handle.length);
        return Libc.openByHandleAt(source.mountFd, buf, O_PATH() | O_NOFOLLOW() | O_CLOEXEC());
    }

    private boolean canReopen(Source source, byte[] handle) {
        try {
            Libc.close(reopen(source, handle));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** Closes every descriptor, the sources' included. */
    @Override
    public void close() {
        for (Inode inode : byNodeId.values()) {
            if (inode.permanent) {
                continue;
            }
            synchronized (inode) {
                inode.removed = true;
                closeDescriptor(inode);
            }
        }
        byNodeId.clear();
        byKey.clear();
        sources.forEach(Source::close);
    }

    /** What a view of several sources shows at its root. */
    private record VirtualRoot(long seconds, long nanos, int uid, int gid) {
    }
}
