package org.panfuse.fs.tree;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;

/**
 * One source directory as the view serves it: its descriptors (an O_PATH one
 * for the *at calls, a plain one that open_by_handle_at needs), its device,
 * its settings, and the inode numbers it shows.
 */
public final class Source implements AutoCloseable {
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");
    private static final MemorySegment DOT = Arena.global().allocateFrom(".");
    private static final int PATH_MAX = 4096;

    private final int index;
    private final String name;
    private final byte[] nameBytes;
    private final Path path;
    private final String realPath;
    final int rootFd;
    final int mountFd;
    final long dev;
    private final boolean readOnly;
    private final boolean oneFileSystem;
    private final Excludes excludes;
    final InodeNumbers numbers;
    /** Set by the table: whether this source's objects can be re-opened from file handles. */
    boolean handlesUsable;

    private Source(int index, SourceSpec spec, int rootFd, int mountFd, long dev, String realPath,
            InodeNumbers numbers) {
        this.index = index;
        this.name = spec.name();
        this.nameBytes = spec.name() == null ? new byte[0] : spec.name().getBytes(StandardCharsets.UTF_8);
        this.path = spec.path();
        this.realPath = realPath;
        this.rootFd = rootFd;
        this.mountFd = mountFd;
        this.dev = dev;
        this.readOnly = spec.readOnly();
        this.oneFileSystem = spec.oneFileSystem();
        this.excludes = Excludes.of(spec.excludes());
        this.numbers = numbers;
    }

    /**
     * Opens the source directory of {@code spec}.
     *
     * @param single true for a view of this source alone (its own inode numbers)
     * @throws ErrnoException if it cannot be opened as a directory
     */
    static Source open(int index, SourceSpec spec, boolean single) {
        int rootFd;
        try (Arena arena = Arena.ofConfined()) {
            rootFd = Libc.openat(AT_FDCWD(), arena.allocateFrom(spec.path().toString()),
                    O_PATH() | O_DIRECTORY() | O_CLOEXEC(), 0);
        }
        int mountFd = -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            Libc.fstatat(rootFd, EMPTY, st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            mountFd = Libc.openat(rootFd, DOT, O_RDONLY() | O_DIRECTORY() | O_CLOEXEC(), 0);
            String realPath = readPath(rootFd, arena);
            long dev = stat.st_dev(st);
            InodeNumbers numbers = single ? InodeNumbers.identity()
                    : InodeNumbers.forSource(index, dev, Path.of(realPath));
            return new Source(index, spec, rootFd, mountFd, dev, realPath, numbers);
        } catch (RuntimeException e) {
            Libc.close(rootFd);
            if (mountFd >= 0) {
                Libc.close(mountFd);
            }
            throw e;
        }
    }

    /** Where {@code fd} is now, as this process sees it (the kernel's own record, renames included). */
    static String readPath(int fd, Arena arena) {
        MemorySegment buf = arena.allocate(PATH_MAX + 1);
        long n = Libc.readlinkat(AT_FDCWD(), ProcFdPath.of(fd), buf, PATH_MAX);
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** {@return the source's place in the configuration, from 0} */
    public int index() {
        return index;
    }

    /** {@return its entry under the view's root (null in a single-source view)} */
    public String name() {
        return name;
    }

    /** {@return the directory, as configured} */
    public Path path() {
        return path;
    }

    /**
     * {@return where the directory was when it was opened, as the kernel
     * recorded it for its descriptor (symlinks resolved)}
     */
    public Path realPath() {
        return Path.of(realPath);
    }

    /** {@return true if nothing under it may be changed through the view} */
    public boolean readOnly() {
        return readOnly;
    }

    /** {@return true if the view stops at mount points inside it} */
    public boolean oneFileSystem() {
        return oneFileSystem;
    }

    /** {@return its exclude patterns, compiled} */
    public Excludes excludes() {
        return excludes;
    }

    /** True if {@code cName} (a NUL-terminated C string) is this source's entry name. */
    boolean isNamed(MemorySegment cName) {
        MemorySegment n = cName.byteSize() == 0 ? cName.reinterpret(nameBytes.length + 1) : cName;
        if (n.byteSize() < nameBytes.length + 1) {
            return false;
        }
        for (int i = 0; i < nameBytes.length; i++) {
            if (n.get(ValueLayout.JAVA_BYTE, i) != nameBytes[i]) {
                return false;
            }
        }
        return n.get(ValueLayout.JAVA_BYTE, nameBytes.length) == 0;
    }

    /**
     * The path of the entry {@code name} in the directory open as {@code dirFd},
     * relative to this source, for matching excludes; null if that directory is
     * no longer inside the source (moved out behind the view's back).
     */
    String relativePath(int dirFd, String name) {
        String dir;
        try (Arena arena = Arena.ofConfined()) {
            dir = readPath(dirFd, arena);
        }
        if (dir.equals(realPath)) {
            return name;
        }
        String prefix = realPath.endsWith("/") ? realPath : realPath + "/";
        if (!dir.startsWith(prefix)) {
            return null;
        }
        return dir.substring(prefix.length()) + "/" + name;
    }

    @Override
    public void close() {
        Libc.close(rootFd);
        Libc.close(mountFd);
    }

    @Override
    public String toString() {
        return (name == null ? "" : name + " = ") + path;
    }
}
