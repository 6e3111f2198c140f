package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.ConnectionInfo;
import org.panfuse.fs.lowlevel.FileInfo;
import org.panfuse.fs.lowlevel.LowLevelFileSystem;
import org.panfuse.fs.lowlevel.ReplyAttr;
import org.panfuse.fs.lowlevel.ReplyCreate;
import org.panfuse.fs.lowlevel.ReplyData;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyDirectoryPlus;
import org.panfuse.fs.lowlevel.ReplyEmpty;
import org.panfuse.fs.lowlevel.ReplyEntry;
import org.panfuse.fs.lowlevel.ReplyLseek;
import org.panfuse.fs.lowlevel.ReplyOpen;
import org.panfuse.fs.lowlevel.ReplyReadlink;
import org.panfuse.fs.lowlevel.ReplyStatfs;
import org.panfuse.fs.lowlevel.ReplyWrite;
import org.panfuse.fs.lowlevel.ReplyXattr;
import org.panfuse.fs.lowlevel.RequestContext;
import org.panfuse.fs.lowlevel.WriteSource;
import org.panfuse.fs.posix.DescriptorLimit;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;
import org.panfuse.fs.posix.ProcessCredentials;
import org.panfuse.fs.posix.ThreadCredentials;
import org.panfuse.fs.tree.Inode;
import org.panfuse.fs.tree.InodeTable;
import org.panfuse.fs.tree.SourceSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors a source directory, or several under a virtual read-only root. Every
 * operation works relative to the O_PATH descriptors of the {@link InodeTable}
 * with the *at calls, so nothing outside the sources is reached and renames
 * behind our back do not confuse it. Open files are real descriptors
 * ({@code fi->fh}); file data moves between them and /dev/fuse by splice, or
 * through a per-thread off-heap buffer. Read-only sources, excludes and
 * one_file_system boundaries are the table's rules, applied here.
 *
 * <p>Run by root for other users (allow_other), each operation that a
 * permission could refuse runs with its caller's fsuid, fsgid, supplementary
 * groups, effective capabilities and umask ({@link ThreadCredentials}), so the
 * source filesystem's own rules decide, exactly as for the caller on the bare
 * directory. Only what the server needs for its bookkeeping (re-opening an
 * inode from its file handle, the lookups of readdirplus) runs as root.
 */
public final class PassthroughFs implements LowLevelFileSystem, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PassthroughFs.class);
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");
    private static final MemorySegment DOT = Arena.global().allocateFrom(".");
    private static final int PATH_MAX = 4096;
    /** Per-thread scratch: offsets, timespecs, or a struct stat (never two of them at once). */
    private static final long SCRATCH_SIZE = Math.max(stat.sizeof(), 4 * Long.BYTES + 2 * timespec.sizeof());

    private final PassthroughOptions options;
    private final InodeTable inodes;
    private final double timeout;
    /** Root can act as each caller; any other server acts as itself for everybody. */
    private final boolean actAsCaller;
    private final ThreadLocal<ProcessCredentials> callerStatus = ThreadLocal.withInitial(ProcessCredentials::new);
    private final ConcurrentHashMap<Long, DirectoryHandle> directories = new ConcurrentHashMap<>();
    private final FlockWaiters flockWaiters = new FlockWaiters();
    private final Set<Integer> openFiles = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<MemorySegment> scratch = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(SCRATCH_SIZE, 8));

    private final DirectoryReader reader;

    private PassthroughFs(InodeTable inodes, PassthroughOptions options) {
        this.options = options;
        this.inodes = inodes;
        this.timeout = options.cache().timeout;
        this.actAsCaller = ThreadCredentials.current().canSwitch();
        this.reader = new DirectoryReader(inodes, timeout);
    }

    /**
     * Opens {@code source} for serving. Raises the descriptor soft limit to the
     * hard limit first, since open files and cached inode descriptors count against it.
     *
     * @param source  the directory to serve
     * @param options how to serve it
     * @return the filesystem, to mount (it owns the source's descriptors until {@link #close()})
     * @throws ErrnoException if the source cannot be opened as a directory
     */
    public static PassthroughFs open(Path source, PassthroughOptions options) {
        long limit = DescriptorLimit.raiseToHard();
        return serving(InodeTable.ofSource(source, cacheSize(options, limit)), options, limit);
    }

    /**
     * Opens several sources for serving under one virtual, read-only root with
     * one entry per source (in this order), dated {@code rootTime} (seconds and
     * nanoseconds: the configuration's time, so that it changes only with it).
     *
     * @param sources         the sources, in the order of the root's entries
     * @param options         how to serve them
     * @param rootTimeSeconds the root's times, seconds since the epoch
     * @param rootTimeNanos   the root's times, nanoseconds within the second
     * @return the filesystem, to mount (it owns the sources' descriptors until {@link #close()})
     * @throws ErrnoException if a source cannot be opened as a directory
     */
    public static PassthroughFs open(List<SourceSpec> sources, PassthroughOptions options, long rootTimeSeconds,
            long rootTimeNanos) {
        long limit = DescriptorLimit.raiseToHard();
        return serving(InodeTable.ofSources(sources, cacheSize(options, limit), rootTimeSeconds, rootTimeNanos),
                options, limit);
    }

    private static int cacheSize(PassthroughOptions options, long limit) {
        return options.fdCacheSize() > 0 ? options.fdCacheSize() : (int) Math.min(Integer.MAX_VALUE, limit / 2);
    }

    private static PassthroughFs serving(InodeTable inodes, PassthroughOptions options, long limit) {
        PassthroughFs fs = new PassthroughFs(inodes, options);
        LOG.debug("serving {} (descriptor limit {}, inode descriptor cache {}, file handles {})", inodes.sources(),
                limit, inodes.capacity(), inodes.handlesUsable() ? "usable" : "unusable");
        return fs;
    }

    /** {@return the sources served, as opened} */
    public List<org.panfuse.fs.tree.Source> sources() {
        return inodes.sources();
    }

    /** {@return the inodes the kernel knows right now, root included (for tests and monitoring)} */
    public int knownInodes() {
        return inodes.size();
    }

    /** {@return the O_PATH descriptors open right now (for tests and monitoring)} */
    public int openInodeDescriptors() {
        return inodes.openDescriptors();
    }

    // ---- lifecycle

    @Override
    public void init(ConnectionInfo conn) {
        conn.want(FUSE_CAP_SPLICE_READ(), options.splice())
                .want(FUSE_CAP_SPLICE_WRITE(), options.splice())
                .want(FUSE_CAP_SPLICE_MOVE(), false)
                .want(FUSE_CAP_WRITEBACK_CACHE(), options.writebackCache())
                .want(FUSE_CAP_FLOCK_LOCKS(), true)
                .want(FUSE_CAP_READDIRPLUS(), true)
                .want(FUSE_CAP_READDIRPLUS_AUTO(), true)
                .want(FUSE_CAP_EXPORT_SUPPORT(), false)
                // The kernel hands over the caller's umask instead of applying it: the source applies it,
                // or a directory's default ACL instead, as for the caller on the bare directory.
                .want(FUSE_CAP_DONT_MASK(), true)
                // setuid/setgid bits are cleared by the source when the caller (not root) writes,
                // truncates or chowns; the kernel's own "chmod u-s" as the caller would be refused.
                .want(FUSE_CAP_HANDLE_KILLPRIV(), true)
                // With default_permissions the kernel checks access itself; with this it reads POSIX
                // ACLs (system.posix_acl_*) through getxattr and checks them too.
                .want(FUSE_CAP_POSIX_ACL(), options.defaultPermissions())
                .wantPassthrough(options.asksForPassthrough());
    }

    @Override
    public void destroy() {
        close();
    }

    /** Closes every descriptor: directories, open files, inodes. */
    @Override
    public void close() {
        flockWaiters.close();
        for (DirectoryHandle d : directories.values()) {
            d.close();
        }
        directories.clear();
        for (int fd : openFiles) {
            Libc.close(fd);
        }
        openFiles.clear();
        inodes.close();
    }

    // ---- acting as the caller

    /**
     * This thread, switched to the request's caller until closed (a no-op for
     * callers with the server's own uid and gid, and for a server that is not root).
     */
    private ThreadCredentials asCaller(RequestContext caller) {
        ThreadCredentials thread = ThreadCredentials.current();
        if (!actAsCaller) {
            return thread;
        }
        int uid = caller.uid();
        int gid = caller.gid();
        if (uid == thread.ownUid() && gid == thread.ownGid() && !options.defaultPermissions()) {
            // Without allow_other only processes of the server's own uid and gid get in (the kernel sees
            // to it): served as the server.
            return thread;
        }
        ProcessCredentials status = callerStatus.get().read(caller.pid());
        if (uid == thread.ownUid() && gid == thread.ownGid() && thread.coversOwn(status.capEffective())) {
            return thread;
        }
        // Another user, or root with fewer capabilities (a container's root, a hardened service).
        return thread.become(uid, gid, status);
    }

    /** As {@link #asCaller}, with the caller's umask for what the operation creates. */
    private ThreadCredentials asCreatingCaller(RequestContext caller) {
        ThreadCredentials.current().umask(caller.umask());
        return asCaller(caller);
    }

    // ---- names

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        Inode dir = inodes.get(parent);
        if (dir.isVirtualRoot()) {
            Inode source = inodes.lookup(dir, -1, name, reply.attr());
            reply.entry(source.nodeId(), 0, timeout, timeout);
            return;
        }
        if (dir.isPermanent() && isDotDot(name)) {
            if (inodes.root().isVirtualRoot()) {
                // ".." of a source's directory is the view's root, never the source's parent.
                inodes.virtualRootAttr(reply.attr());
                inodes.addLookup(inodes.root());
                reply.entry(inodes.root().nodeId(), 0, timeout, timeout);
                return;
            }
            // ".." of the root stays inside the source.
            name = DOT;
        }
        int dirFd = inodes.acquire(dir);
        Inode found;
        try (ThreadCredentials as = asCaller(reply.context())) {
            found = inodes.lookup(dir, dirFd, name, reply.attr());
        } catch (ErrnoException e) {
            if (e.errno() == ENOENT() && timeout > 0) {
                // The kernel may remember that the name is absent, for as long as it keeps names.
                reply.noEntry(timeout);
                return;
            }
            throw e;
        } finally {
            inodes.release(dir);
        }
        reply.entry(found.nodeId(), 0, timeout, timeout);
    }

    @Override
    public void forget(long ino, long nlookup) {
        inodes.forget(ino, nlookup);
    }

    private static boolean isDotDot(MemorySegment name) {
        MemorySegment n = name.reinterpret(3);
        return n.get(ValueLayout.JAVA_BYTE, 0) == '.' && n.get(ValueLayout.JAVA_BYTE, 1) == '.'
                && n.get(ValueLayout.JAVA_BYTE, 2) == 0;
    }

    /**
     * What mknod, mkdir and symlink share: {@code make} runs in the parent as
     * the caller, who therefore owns the result (with the group and ACLs the
     * source gives it: setgid directories, default ACLs), and its entry is answered.
     */
    private void makeEntry(long parent, MemorySegment name, boolean directory, ReplyEntry reply, EntryMaker make) {
        Inode dir = inodes.get(parent);
        inodes.requireWritable(dir);
        int dirFd = inodes.acquire(dir);
        Inode made;
        try (ThreadCredentials as = asCreatingCaller(reply.context())) {
            inodes.requireNotExcluded(dir, dirFd, name, directory);
            make.make(dirFd);
            made = inodes.lookup(dir, dirFd, name, reply.attr());
        } finally {
            inodes.release(dir);
        }
        reply.entry(made.nodeId(), 0, timeout, timeout);
    }

    @FunctionalInterface
    private interface EntryMaker {
        void make(int dirFd);
    }

    @Override
    public void mknod(long parent, MemorySegment name, int mode, long rdev, ReplyEntry reply) {
        makeEntry(parent, name, false, reply, dirFd -> Libc.mknodat(dirFd, name, mode, rdev));
    }

    @Override
    public void mkdir(long parent, MemorySegment name, int mode, ReplyEntry reply) {
        makeEntry(parent, name, true, reply, dirFd -> Libc.mkdirat(dirFd, name, mode));
    }

    @Override
    public void symlink(MemorySegment target, long parent, MemorySegment name, ReplyEntry reply) {
        makeEntry(parent, name, false, reply, dirFd -> Libc.symlinkat(target, dirFd, name));
    }

    @Override
    public void link(long ino, long newParent, MemorySegment newName, ReplyEntry reply) {
        Inode inode = inodes.get(ino);
        Inode dir = inodes.get(newParent);
        inodes.requireWritable(dir);
        InodeTable.requireSameSource(inode, dir);
        int fd = inodes.acquire(inode);
        try {
            int dirFd = inodes.acquire(dir);
            try {
                try (ThreadCredentials as = asCaller(reply.context())) {
                    inodes.requireNotExcluded(dir, dirFd, newName, false);
                    linkDescriptor(fd, inode.type(), dirFd, newName);
                }
                inodes.statInto(inode, fd, reply.attr());
                inodes.addLookup(inode);
                reply.entry(inode.nodeId(), 0, timeout, timeout);
            } finally {
                inodes.release(dir);
            }
        } finally {
            inodes.release(inode);
        }
    }

    private static void linkDescriptor(int fd, int type, int dirFd, MemorySegment newName) {
        try {
            // Links the object itself, symlinks included; needs CAP_DAC_READ_SEARCH.
            Libc.linkat(fd, EMPTY, dirFd, newName, AT_EMPTY_PATH());
        } catch (ErrnoException e) {
            if (type == S_IFLNK() || (e.errno() != ENOENT() && e.errno() != EPERM())) {
                throw e;
            }
            // Without the capability: through /proc, following the magic link to the object.
            Libc.linkat(AT_FDCWD(), ProcFdPath.of(fd), dirFd, newName, AT_SYMLINK_FOLLOW());
        }
    }

    @Override
    public void unlink(long parent, MemorySegment name, ReplyEmpty reply) {
        removeEntry(parent, name, 0, reply);
    }

    @Override
    public void rmdir(long parent, MemorySegment name, ReplyEmpty reply) {
        removeEntry(parent, name, AT_REMOVEDIR(), reply);
    }

    private void removeEntry(long parent, MemorySegment name, int flags, ReplyEmpty reply) {
        Inode dir = inodes.get(parent);
        inodes.requireWritable(dir);
        int dirFd = inodes.acquire(dir);
        try (ThreadCredentials as = asCaller(reply.context())) {
            inodes.requireVisible(dir, dirFd, name, flags == AT_REMOVEDIR());
            Libc.unlinkat(dirFd, name, flags);
        } finally {
            inodes.release(dir);
        }
        reply.ok();
    }

    @Override
    public void rename(long parent, MemorySegment name, long newParent, MemorySegment newName, int flags,
            ReplyEmpty reply) {
        Inode from = inodes.get(parent);
        Inode to = inodes.get(newParent);
        inodes.requireWritable(from);
        inodes.requireWritable(to);
        InodeTable.requireSameSource(from, to);
        int fromFd = inodes.acquire(from);
        try {
            int toFd = inodes.acquire(to);
            try (ThreadCredentials as = asCaller(reply.context())) {
                inodes.requireRenamable(from, fromFd, name, to, toFd, newName);
                Libc.renameat2(fromFd, name, toFd, newName, flags);
            } finally {
                inodes.release(to);
            }
        } finally {
            inodes.release(from);
        }
        reply.ok();
    }

    // ---- attributes

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        Inode inode = inodes.get(ino);
        if (inode.isVirtualRoot()) {
            inodes.virtualRootAttr(reply.attr());
        } else if (fi != null && !DirectoryHandle.isVirtual(fi.fh())) {
            inodes.fstatInto(inode, (int) fi.fh(), reply.attr());
        } else {
            int fd = inodes.acquire(inode);
            try {
                inodes.statInto(inode, fd, reply.attr());
            } finally {
                inodes.release(inode);
            }
        }
        reply.attr(timeout);
    }

    @Override
    public void setattr(long ino, MemorySegment attr, int toSet, FileInfo fi, ReplyAttr reply) {
        Inode inode = inodes.get(ino);
        inodes.requireWritable(inode);
        int fd = inodes.acquire(inode);
        int fh = fi == null || DirectoryHandle.isVirtual(fi.fh()) ? -1 : (int) fi.fh();
        try {
            if (inode.type() == S_IFLNK() && (toSet & (FUSE_SET_ATTR_MODE() | FUSE_SET_ATTR_SIZE())) != 0) {
                // The /proc path would lead to the link's target: never act on it.
                throw ErrnoException.of(EOPNOTSUPP());
            }
            int killed = (toSet & FUSE_SET_ATTR_MODE()) != 0 ? modeWithSetIdCleared(fd, stat.st_mode(attr)) : -1;
            if (killed >= 0) {
                // The kernel clearing setuid/setgid because the caller writes or truncates (libfuse 3.14
                // cannot tell it that the source does this itself): with default_permissions no other
                // chmod by a non-owner reaches us, and here bits are only ever cleared, from the mode
                // the file has now, so a chmod of the owner's in between is not undone.
                chmod(fd, fh, killed);
                toSet &= ~FUSE_SET_ATTR_MODE();
            }
            if (toSet == 0) {
                // chown(f, -1, -1), or a change the kernel keeps to itself: the bare directory still
                // updates the ctime, and so does the same chown on the source, as the caller.
                try (ThreadCredentials as = asCaller(reply.context())) {
                    Libc.fchownat(fd, EMPTY, -1, -1, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
                }
            }
            setattrAsCaller(inode, fd, fh, attr, toSet, reply);
        } finally {
            inodes.release(inode);
        }
        reply.attr(timeout);
    }

    /**
     * If {@code mode} is the object's mode now with only S_ISUID and/or S_ISGID
     * taken away, the mode it has now less those bits; else -1.
     */
    private int modeWithSetIdCleared(int fd, int mode) {
        MemorySegment st = scratch.get().asSlice(0, stat.sizeof());
        Libc.fstatat(fd, EMPTY, st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
        int now = stat.st_mode(st) & 07777;
        int setId = S_ISUID() | S_ISGID();
        int wanted = mode & 07777;
        boolean onlyClears = (now & setId) != 0 && wanted != now && (wanted | (now & setId)) == now;
        return onlyClears ? now & ~(now & setId & ~wanted) : -1;
    }

    private static void chmod(int fd, int fh, int mode) {
        if (fh >= 0) {
            Libc.fchmod(fh, mode);
        } else {
            Libc.fchmodat(AT_FDCWD(), ProcFdPath.of(fd), mode, 0);
        }
    }

    private void setattrAsCaller(Inode inode, int fd, int fh, MemorySegment attr, int toSet, ReplyAttr reply) {
        try (ThreadCredentials as = asCaller(reply.context())) {
            if ((toSet & FUSE_SET_ATTR_MODE()) != 0) {
                chmod(fd, fh, stat.st_mode(attr));
            }
            if ((toSet & (FUSE_SET_ATTR_UID() | FUSE_SET_ATTR_GID())) != 0) {
                int uid = (toSet & FUSE_SET_ATTR_UID()) != 0 ? stat.st_uid(attr) : -1;
                int gid = (toSet & FUSE_SET_ATTR_GID()) != 0 ? stat.st_gid(attr) : -1;
                Libc.fchownat(fd, EMPTY, uid, gid, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            }
            if ((toSet & FUSE_SET_ATTR_SIZE()) != 0) {
                if (fh >= 0) {
                    Libc.ftruncate(fh, stat.st_size(attr));
                } else {
                    Libc.truncate(ProcFdPath.of(fd), stat.st_size(attr));
                }
            }
            if ((toSet & (FUSE_SET_ATTR_ATIME() | FUSE_SET_ATTR_MTIME())) != 0) {
                setTimes(inode, fd, fh, attr, toSet);
            }
        }
        if (fh >= 0) {
            inodes.fstatInto(inode, fh, reply.attr());
        } else {
            inodes.statInto(inode, fd, reply.attr());
        }
    }

    private void setTimes(Inode inode, int fd, int fh, MemorySegment attr, int toSet) {
        MemorySegment times = scratch.get().asSlice(0, 2 * timespec.sizeof());
        MemorySegment atime = timespec.asSlice(times, 0);
        MemorySegment mtime = timespec.asSlice(times, 1);
        setTime(atime, stat.st_atim(attr), toSet, FUSE_SET_ATTR_ATIME(), FUSE_SET_ATTR_ATIME_NOW());
        setTime(mtime, stat.st_mtim(attr), toSet, FUSE_SET_ATTR_MTIME(), FUSE_SET_ATTR_MTIME_NOW());
        if (fh >= 0) {
            Libc.futimens(fh, times);
        } else if (inode.type() == S_IFLNK()) {
            Libc.utimensat(fd, EMPTY, times, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
        } else {
            Libc.utimensat(AT_FDCWD(), ProcFdPath.of(fd), times, 0);
        }
    }

    private static void setTime(MemorySegment target, MemorySegment given, int toSet, int setBit, int nowBit) {
        if ((toSet & nowBit) != 0) {
            timespec.tv_sec(target, 0);
            timespec.tv_nsec(target, UTIME_NOW());
        } else if ((toSet & setBit) != 0) {
            timespec.tv_sec(target, timespec.tv_sec(given));
            timespec.tv_nsec(target, timespec.tv_nsec(given));
        } else {
            timespec.tv_sec(target, 0);
            timespec.tv_nsec(target, UTIME_OMIT());
        }
    }

    @Override
    public void readlink(long ino, ReplyReadlink reply) {
        Inode inode = inodes.get(ino);
        int fd = inodes.acquire(inode);
        try {
            MemorySegment buf = reply.buffer();
            long n = Libc.readlinkat(fd, EMPTY, buf, PATH_MAX);
            buf.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
            reply.target(buf);
        } finally {
            inodes.release(inode);
        }
    }

    @Override
    public void statfs(long ino, ReplyStatfs reply) {
        Inode asked = inodes.get(ino);
        // The virtual root reports the first source's filesystem (what df of the mount point shows).
        Inode inode = asked.isVirtualRoot() ? inodes.sourceDirectories().get(0) : asked;
        int fd = inodes.acquire(inode);
        try {
            Libc.fstatvfs(fd, reply.statvfs());
        } finally {
            inodes.release(inode);
        }
        reply.statfs();
    }

    // ---- files

    private int openFlags(int flags) {
        // Reached through /proc/self/fd, whose entries are magic links: O_NOFOLLOW would refuse them.
        flags &= ~O_NOFOLLOW();
        if (options.writebackCache()) {
            // The kernel may read pages of a write-only file to fill its cache, and does appends itself.
            if ((flags & O_ACCMODE()) == O_WRONLY()) {
                flags = (flags & ~O_ACCMODE()) | O_RDWR();
            }
            flags &= ~O_APPEND();
        }
        return flags | O_CLOEXEC();
    }

    /** Caching hints for a file just opened as {@code file}. */
    private void cacheHints(Inode inode, int file, FileInfo fi) {
        if (options.directIo()) {
            fi.directIo(true);
        }
        switch (options.cache()) {
            case ALWAYS -> fi.keepCache(true);
            case AUTO -> fi.keepCache(unchangedSinceLastOpen(inode, file));
            case NEVER -> { }
        }
        if ((fi.flags() & O_ACCMODE()) == O_RDONLY()) {
            // Nothing to write back when a read-only descriptor closes: spare the kernel the FLUSH round trip.
            fi.noflush(true);
        }
    }

    /** Compares the file's mtime, ctime and size with those seen at its last open, and records them. */
    private boolean unchangedSinceLastOpen(Inode inode, int file) {
        MemorySegment st = scratch.get().asSlice(0, stat.sizeof());
        Libc.fstat(file, st);
        long version = stat.st_size(st) * 31 + timespec.tv_sec(stat.st_mtim(st));
        version = version * 1_000_000_007L + timespec.tv_nsec(stat.st_mtim(st));
        version = version * 31 + timespec.tv_sec(stat.st_ctim(st)) * 1_000_000_007L + timespec.tv_nsec(stat.st_ctim(st));
        return inode.swapOpenedVersion(version);
    }

    /** Read-only sources and mounts are for backups: reading them leaves atime alone where the caller may. */
    private boolean keepsAtime(Inode inode) {
        return options.readOnly() || inode.source().readOnly();
    }

    /** Opens the object behind {@code fd} with {@code flags}, with O_NOATIME first where reads must not touch atime. */
    private int openThrough(Inode inode, int fd, int flags) {
        if (keepsAtime(inode) && (flags & O_ACCMODE()) == O_RDONLY()) {
            try {
                return Libc.openat(AT_FDCWD(), ProcFdPath.of(fd), flags | O_NOATIME(), 0);
            } catch (ErrnoException e) {
                if (e.errno() != EPERM()) {
                    throw e;
                }
                // O_NOATIME is for the owner (or CAP_FOWNER) only: others read as on the bare directory.
            }
        }
        return Libc.openat(AT_FDCWD(), ProcFdPath.of(fd), flags, 0);
    }

    private static boolean writes(int flags) {
        return (flags & O_ACCMODE()) != O_RDONLY() || (flags & O_TRUNC()) != 0;
    }

    @Override
    public void open(long ino, FileInfo fi, ReplyOpen reply) {
        Inode inode = inodes.get(ino);
        if (writes(fi.flags())) {
            inodes.requireWritable(inode);
        }
        int fd = inodes.acquire(inode);
        int file;
        try (ThreadCredentials as = asCaller(reply.context())) {
            file = openThrough(inode, fd, openFlags(fi.flags()));
        } finally {
            inodes.release(inode);
        }
        openFiles.add(file);
        fi.fh(file);
        cacheHints(inode, file, fi);
        if (inode.type() == S_IFREG() && !keepsAtime(inode)) {
            // Where kernel passthrough is in force, the kernel reads and writes the file itself. Not for
            // read-only sources: the kernel's own open of the file would touch atime (it cannot take
            // O_NOATIME), and the rule is per source, so no inode mixes the two kinds of open.
            reply.passthrough(fi, file);
        } else {
            reply.opened(fi);
        }
    }

    @Override
    public void create(long parent, MemorySegment name, int mode, FileInfo fi, ReplyCreate reply) {
        Inode dir = inodes.get(parent);
        inodes.requireWritable(dir);
        int dirFd = inodes.acquire(dir);
        int file;
        Inode made;
        try (ThreadCredentials as = asCreatingCaller(reply.context())) {
            inodes.requireNotExcluded(dir, dirFd, name, false);
            file = createExclusively(dirFd, name, fi.flags(), mode);
            try {
                made = inodes.lookupOpened(dir, file, reply.attr());
            } catch (RuntimeException e) {
                Libc.close(file);
                throw e;
            }
        } finally {
            inodes.release(dir);
        }
        openFiles.add(file);
        fi.fh(file);
        cacheHints(made, file, fi);
        reply.created(made.nodeId(), 0, timeout, timeout, fi, file);
    }

    /**
     * Creates {@code name} and opens it, or fails: never opens what is already
     * there. The kernel asks to create only a name it believes absent; if one has
     * appeared in the source since (a file, a FIFO that would block the worker,
     * a symlink that could lead out of the source), the answer is ESTALE, and the
     * kernel looks the name up again and opens what it finds itself, with its own
     * checks, exactly as on the bare directory. A caller's own O_EXCL gets EEXIST.
     */
    private int createExclusively(int dirFd, MemorySegment name, int flags, int mode) {
        try {
            return Libc.openat(dirFd, name, openFlags(flags) | O_CREAT() | O_EXCL() | O_NOFOLLOW(), mode);
        } catch (ErrnoException e) {
            if (e.errno() == EEXIST() && (flags & O_EXCL()) == 0) {
                throw ErrnoException.of(ESTALE());
            }
            throw e;
        }
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        int fd = (int) fi.fh();
        if (options.splice()) {
            reply.fromFd(fd, offset, size);
        } else {
            MemorySegment buf = reply.buffer(size);
            long n = Libc.pread(fd, buf, size, offset);
            reply.data(buf, n);
        }
    }

    @Override
    public void write(long ino, WriteSource data, long offset, FileInfo fi, ReplyWrite reply) {
        long written;
        // As the caller: a write by someone without CAP_FSETID clears setuid bits, and quotas and
        // reserved blocks apply as they would to the caller.
        try (ThreadCredentials as = asCaller(reply.context())) {
            written = data.copyToFd((int) fi.fh(), offset);
        }
        reply.written(written);
    }

    @Override
    public void flush(long ino, FileInfo fi, ReplyEmpty reply) {
        // What close(2) of one of several descriptors would do on the source (e.g. NFS writes back, locks drop).
        int copy = Libc.dup((int) fi.fh());
        int errno = Libc.close(copy);
        if (errno != 0) {
            reply.error(errno);
        } else {
            reply.ok();
        }
    }

    @Override
    public void release(long ino, FileInfo fi, ReplyEmpty reply) {
        int fd = (int) fi.fh();
        flockWaiters.cancel(fd);
        openFiles.remove(fd);
        Libc.close(fd);
        reply.ok();
    }

    @Override
    public void fsync(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        if (datasync) {
            Libc.fdatasync((int) fi.fh());
        } else {
            Libc.fsync((int) fi.fh());
        }
        reply.ok();
    }

    @Override
    public void fallocate(long ino, int mode, long offset, long length, FileInfo fi, ReplyEmpty reply) {
        try (ThreadCredentials as = asCaller(reply.context())) {
            Libc.fallocate((int) fi.fh(), mode, offset, length);
        }
        reply.ok();
    }

    @Override
    public void copyFileRange(long inoIn, long offIn, FileInfo fiIn, long inoOut, long offOut, FileInfo fiOut,
            long length, int flags, ReplyWrite reply) {
        MemorySegment offsets = scratch.get();
        offsets.set(ValueLayout.JAVA_LONG, 0, offIn);
        offsets.set(ValueLayout.JAVA_LONG, 8, offOut);
        long n;
        try (ThreadCredentials as = asCaller(reply.context())) {
            n = Libc.copyFileRange((int) fiIn.fh(), offsets.asSlice(0, 8), (int) fiOut.fh(), offsets.asSlice(8, 8),
                    length, flags);
        }
        reply.written(n);
    }

    @Override
    public void lseek(long ino, long offset, int whence, FileInfo fi, ReplyLseek reply) {
        reply.offset(Libc.lseek((int) fi.fh(), offset, whence));
    }

    @Override
    public void flock(long ino, FileInfo fi, int op, ReplyEmpty reply) {
        int fd = (int) fi.fh();
        if ((op & LOCK_UN()) != 0 || (op & LOCK_NB()) != 0) {
            Libc.flock(fd, op);
            reply.ok();
            return;
        }
        try {
            Libc.flock(fd, op | LOCK_NB());
            reply.ok();
        } catch (ErrnoException e) {
            if (e.errno() != EWOULDBLOCK()) {
                throw e;
            }
            // Held elsewhere: wait without holding this worker thread.
            flockWaiters.await(fd, op, reply.defer());
        }
    }

    // ---- directories

    @Override
    public void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        Inode inode = inodes.get(ino);
        if (inode.isVirtualRoot()) {
            fi.fh(DirectoryHandle.VIRTUAL_FH);
            fi.cacheReaddir(options.cache() != CachePolicy.NEVER).keepCache(options.cache() != CachePolicy.NEVER);
            reply.opened(fi);
            return;
        }
        int fd = inodes.acquire(inode);
        int dirFd;
        try (ThreadCredentials as = asCaller(reply.context())) {
            // Through the descriptor's /proc link, not "." inside it: opening a directory needs read
            // permission only, and "." would need search permission too.
            dirFd = openThrough(inode, fd, O_RDONLY() | O_DIRECTORY() | O_CLOEXEC());
        } finally {
            inodes.release(inode);
        }
        directories.put((long) dirFd, new DirectoryHandle(dirFd));
        fi.fh(dirFd);
        // As for files: the kernel may keep a listing across opens while the directory is unchanged.
        boolean keep = switch (options.cache()) {
            case ALWAYS -> true;
            case AUTO -> unchangedSinceLastOpen(inode, dirFd);
            case NEVER -> false;
        };
        fi.cacheReaddir(keep).keepCache(keep);
        reply.opened(fi);
    }

    private DirectoryHandle directory(FileInfo fi) {
        DirectoryHandle d = directories.get(fi.fh());
        if (d == null) {
            throw ErrnoException.of(EBADF());
        }
        return d;
    }

    @Override
    public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        Inode dir = inodes.get(ino);
        reader.readdir(dir, dir.isVirtualRoot() ? null : directory(fi), offset, reply);
    }

    @Override
    public void readdirplus(long ino, long size, long offset, FileInfo fi, ReplyDirectoryPlus reply) {
        Inode dir = inodes.get(ino);
        reader.readdirplus(dir, dir.isVirtualRoot() ? null : directory(fi), offset, reply);
    }

    @Override
    public void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        DirectoryHandle d = directories.remove(fi.fh());
        if (d != null) {
            d.close();
        }
        reply.ok();
    }

    @Override
    public void fsyncdir(long ino, boolean datasync, FileInfo fi, ReplyEmpty reply) {
        if (DirectoryHandle.isVirtual(fi.fh())) {
            reply.ok();
            return;
        }
        int fd = directory(fi).fd;
        if (datasync) {
            Libc.fdatasync(fd);
        } else {
            Libc.fsync(fd);
        }
        reply.ok();
    }

    // ---- extended attributes

    /**
     * Runs an xattr call on the object behind an inode. Symlinks have no
     * race-free path for it (the /proc magic link would be followed to the
     * target), so their xattrs are not supported.
     */
    private MemorySegment xattrPath(Inode inode, int fd) {
        if (inode.type() == S_IFLNK()) {
            throw ErrnoException.of(ENOTSUP());
        }
        return ProcFdPath.of(fd);
    }

    @Override
    public void getxattr(long ino, MemorySegment name, long size, ReplyXattr reply) {
        Inode inode = inodes.get(ino);
        if (inode.isVirtualRoot() || inode.type() == S_IFLNK()) {
            // A symlink's xattrs cannot be reached race-free (see xattrPath): it shows none, as symlinks
            // without SELinux labels have none, so that rsync -X and backups of symlinks work.
            throw ErrnoException.of(ENODATA());
        }
        int fd = inodes.acquire(inode);
        long length;
        MemorySegment buf = size == 0 ? MemorySegment.NULL : reply.buffer(size);
        try (ThreadCredentials as = asCaller(reply.context())) {
            length = Libc.getxattr(xattrPath(inode, fd), name, buf, size);
        } finally {
            inodes.release(inode);
        }
        if (size == 0) {
            reply.size(length);
        } else {
            reply.data(buf, length);
        }
    }

    @Override
    public void listxattr(long ino, long size, ReplyXattr reply) {
        Inode inode = inodes.get(ino);
        if (inode.isVirtualRoot() || inode.type() == S_IFLNK()) {
            if (size == 0) {
                reply.size(0);
            } else {
                reply.data(reply.buffer(1), 0);
            }
            return;
        }
        int fd = inodes.acquire(inode);
        long length;
        MemorySegment buf = size == 0 ? MemorySegment.NULL : reply.buffer(size);
        try (ThreadCredentials as = asCaller(reply.context())) {
            length = Libc.listxattr(xattrPath(inode, fd), buf, size);
        } finally {
            inodes.release(inode);
        }
        if (size == 0) {
            reply.size(length);
        } else {
            reply.data(buf, length);
        }
    }

    @Override
    public void setxattr(long ino, MemorySegment name, MemorySegment value, long size, int flags, ReplyEmpty reply) {
        Inode inode = inodes.get(ino);
        inodes.requireWritable(inode);
        int fd = inodes.acquire(inode);
        try (ThreadCredentials as = asCaller(reply.context())) {
            Libc.setxattr(xattrPath(inode, fd), name, value, size, flags);
        } finally {
            inodes.release(inode);
        }
        reply.ok();
    }

    @Override
    public void removexattr(long ino, MemorySegment name, ReplyEmpty reply) {
        Inode inode = inodes.get(ino);
        inodes.requireWritable(inode);
        int fd = inodes.acquire(inode);
        try (ThreadCredentials as = asCaller(reply.context())) {
            Libc.removexattr(xattrPath(inode, fd), name);
        } finally {
            inodes.release(inode);
        }
        reply.ok();
    }
}
