package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;
import org.panfuse.fs.errno.Errno;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;

/**
 * System calls by path for the differential tests, each returning its
 * outcome as text ("ok ..." or the errno's name), so that the same call on
 * the bare directory and through the mount can be compared errno and bytes alike.
 */
final class Posix {
    private Posix() {
    }

    static String outcome(Supplier<String> call) {
        try {
            String r = call.get();
            return r == null ? "ok" : "ok " + r;
        } catch (ErrnoException e) {
            return Errno.name(e.errno());
        }
    }

    static MemorySegment c(Arena arena, Path p) {
        return arena.allocateFrom(p.toString());
    }

    static MemorySegment c(Arena arena, String s) {
        return arena.allocateFrom(s);
    }

    /** The attributes that must match between the bare directory and the mount (not inode numbers or times). */
    static String describe(MemorySegment st) {
        int mode = stat.st_mode(st);
        boolean regular = (mode & S_IFMT()) == S_IFREG();
        return "mode=0" + Integer.toOctalString(mode) + " nlink=" + stat.st_nlink(st) + " uid=" + stat.st_uid(st)
                + " gid=" + stat.st_gid(st) + " rdev=" + stat.st_rdev(st)
                + (regular || (mode & S_IFMT()) == S_IFLNK() ? " size=" + stat.st_size(st) + " blocks=" + stat.st_blocks(st) : "");
    }

    static String lstat(Path p) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = stat.allocate(a);
                Libc.fstatat(AT_FDCWD(), c(a, p), st, AT_SYMLINK_NOFOLLOW());
                return describe(st);
            }
        });
    }

    static String stat(Path p) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = stat.allocate(a);
                Libc.fstatat(AT_FDCWD(), c(a, p), st, 0);
                return describe(st);
            }
        });
    }

    /** Full stat segment (caller's arena) for tests that look at inode numbers and times. */
    static MemorySegment statOf(Arena a, Path p, boolean follow) {
        MemorySegment st = stat.allocate(a);
        Libc.fstatat(AT_FDCWD(), c(a, p), st, follow ? 0 : AT_SYMLINK_NOFOLLOW());
        return st;
    }

    static String mkdir(Path p, int mode) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.mkdirat(AT_FDCWD(), c(a, p), mode);
                return null;
            }
        });
    }

    static String rmdir(Path p) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.unlinkat(AT_FDCWD(), c(a, p), AT_REMOVEDIR());
                return null;
            }
        });
    }

    static String unlink(Path p) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.unlinkat(AT_FDCWD(), c(a, p), 0);
                return null;
            }
        });
    }

    static String symlink(String target, Path p) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.symlinkat(c(a, target), AT_FDCWD(), c(a, p));
                return null;
            }
        });
    }

    static String readlink(Path p) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(4096);
                long n = Libc.readlinkat(AT_FDCWD(), c(a, p), buf, 4096);
                return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            }
        });
    }

    static String rename(Path from, Path to, int flags) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.renameat2(AT_FDCWD(), c(a, from), AT_FDCWD(), c(a, to), flags);
                return null;
            }
        });
    }

    static String link(Path from, Path to) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.linkat(AT_FDCWD(), c(a, from), AT_FDCWD(), c(a, to), 0);
                return null;
            }
        });
    }

    static String mknod(Path p, int mode, long dev) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.mknodat(AT_FDCWD(), c(a, p), mode, dev);
                return null;
            }
        });
    }

    static String chmod(Path p, int mode) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.fchmodat(AT_FDCWD(), c(a, p), mode, 0);
                return null;
            }
        });
    }

    static String chown(Path p, int uid, int gid, boolean follow) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.fchownat(AT_FDCWD(), c(a, p), uid, gid, follow ? 0 : AT_SYMLINK_NOFOLLOW());
                return null;
            }
        });
    }

    static String truncate(Path p, long length) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.truncate(c(a, p), length);
                return null;
            }
        });
    }

    /** utimensat; a value of UTIME_NOW or UTIME_OMIT goes into tv_nsec as the kernel expects. */
    static String utimens(Path p, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, boolean follow) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment times = timespec.allocateArray(2, a);
                timespec.tv_sec(timespec.asSlice(times, 0), atimeSec);
                timespec.tv_nsec(timespec.asSlice(times, 0), atimeNsec);
                timespec.tv_sec(timespec.asSlice(times, 1), mtimeSec);
                timespec.tv_nsec(timespec.asSlice(times, 1), mtimeNsec);
                Libc.utimensat(AT_FDCWD(), c(a, p), times, follow ? 0 : AT_SYMLINK_NOFOLLOW());
                return null;
            }
        });
    }

    /** "atime mtime" in seconds.nanoseconds. */
    static String times(Path p) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = statOf(a, p, false);
            return timespec.tv_sec(stat.st_atim(st)) + "." + timespec.tv_nsec(stat.st_atim(st)) + " "
                    + timespec.tv_sec(stat.st_mtim(st)) + "." + timespec.tv_nsec(stat.st_mtim(st));
        }
    }

    static String open(Path p, int flags, int mode) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.close(Libc.openat(AT_FDCWD(), c(a, p), flags | O_CLOEXEC(), mode));
                return null;
            }
        });
    }

    static int openFd(Path p, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            return Libc.openat(AT_FDCWD(), c(a, p), flags | O_CLOEXEC(), mode);
        }
    }

    static String pwrite(Path p, long offset, byte[] data) {
        return outcome(() -> {
            int fd = openFd(p, O_WRONLY(), 0);
            try (Arena a = Arena.ofConfined()) {
                return Long.toString(Libc.pwrite(fd, a.allocateFrom(ValueLayout.JAVA_BYTE, data), data.length, offset));
            } finally {
                Libc.close(fd);
            }
        });
    }

    static String pread(Path p, long offset, int length) {
        return outcome(() -> {
            int fd = openFd(p, O_RDONLY(), 0);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(Math.max(1, length));
                long n = Libc.pread(fd, buf, length, offset);
                return n + " " + Arrays.hashCode(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            } finally {
                Libc.close(fd);
            }
        });
    }

    static String fallocate(Path p, int mode, long offset, long length) {
        return outcome(() -> {
            int fd = openFd(p, O_RDWR(), 0);
            try {
                Libc.fallocate(fd, mode, offset, length);
                return null;
            } finally {
                Libc.close(fd);
            }
        });
    }

    static String lseek(Path p, long offset, int whence) {
        return outcome(() -> {
            int fd = openFd(p, O_RDONLY(), 0);
            try {
                return Long.toString(Libc.lseek(fd, offset, whence));
            } finally {
                Libc.close(fd);
            }
        });
    }

    static String copyFileRange(Path from, long offIn, Path to, long offOut, long length) {
        return outcome(() -> {
            int in = openFd(from, O_RDONLY(), 0);
            try (Arena a = Arena.ofConfined()) {
                int out = openFd(to, O_WRONLY(), 0);
                try {
                    MemorySegment o = a.allocate(ValueLayout.JAVA_LONG, 2);
                    o.setAtIndex(ValueLayout.JAVA_LONG, 0, offIn);
                    o.setAtIndex(ValueLayout.JAVA_LONG, 1, offOut);
                    return Long.toString(Libc.copyFileRange(in, o.asSlice(0, 8), out, o.asSlice(8, 8), length, 0));
                } finally {
                    Libc.close(out);
                }
            } finally {
                Libc.close(in);
            }
        });
    }

    static String fsync(Path p, boolean data) {
        return outcome(() -> {
            int fd = openFd(p, O_RDONLY(), 0);
            try {
                if (data) {
                    Libc.fdatasync(fd);
                } else {
                    Libc.fsync(fd);
                }
                return null;
            } finally {
                Libc.close(fd);
            }
        });
    }

    static String setxattr(Path p, String name, String value, int flags) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                byte[] v = value.getBytes(StandardCharsets.UTF_8);
                Libc.setxattr(c(a, p), c(a, name), a.allocateFrom(ValueLayout.JAVA_BYTE, v), v.length, flags);
                return null;
            }
        });
    }

    static String getxattr(Path p, String name, int size) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = size == 0 ? MemorySegment.NULL : a.allocate(size);
                long n = Libc.getxattr(c(a, p), c(a, name), buf, size);
                return size == 0 ? "size " + n
                        : new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            }
        });
    }

    static String listxattr(Path p, int size) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = size == 0 ? MemorySegment.NULL : a.allocate(size);
                long n = Libc.listxattr(c(a, p), buf, size);
                if (size == 0) {
                    return "size " + n;
                }
                String[] names = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)
                        .split("\0");
                Arrays.sort(names);
                return String.join(",", names);
            }
        });
    }

    static String removexattr(Path p, String name) {
        return outcome(() -> {
            try (Arena a = Arena.ofConfined()) {
                Libc.removexattr(c(a, p), c(a, name));
                return null;
            }
        });
    }
}
