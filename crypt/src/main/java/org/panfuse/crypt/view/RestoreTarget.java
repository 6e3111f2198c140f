package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;

/**
 * Where a restore writes, reached only through directory descriptors: every
 * name is made with the *at calls and O_NOFOLLOW / O_EXCL, so a symlink in
 * the destination (planted by whoever can write there) redirects nothing,
 * and nothing that exists is ever replaced, changed or removed. New files and
 * directories are private (0600 / 0700) until they are complete; then they
 * get their owner (when asked for), their mode and their times, in that order
 * (chown clears setuid, so the mode comes after it).
 */
final class RestoreTarget {
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");

    private RestoreTarget() {
    }

    /**
     * The directory {@code name} in {@code parentFd}: made (0700) if absent,
     * else opened if it is a directory and not a symlink. Returns its
     * descriptor; {@code made[0]} says whether it was made now.
     */
    static int directory(int parentFd, byte[] name, boolean[] made) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = CStrings.of(arena, name);
            try {
                Libc.mkdirat(parentFd, n, 0700);
                made[0] = true;
            } catch (ErrnoException e) {
                if (e.errno() != EEXIST()) {
                    throw e;
                }
                made[0] = false;
            }
            try {
                return Libc.openat(parentFd, n, O_RDONLY() | O_DIRECTORY() | O_NOFOLLOW() | O_CLOEXEC(), 0);
            } catch (ErrnoException e) {
                if (e.errno() == ELOOP() || e.errno() == ENOTDIR()) {
                    throw new RestoreRefused("exists and is not a directory (a symlink is never followed)");
                }
                throw e;
            }
        }
    }

    /** A new file {@code name} in {@code parentFd}, open for writing, private until finished. */
    static int newFile(int parentFd, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.openat(parentFd, CStrings.of(arena, name),
                    O_WRONLY() | O_CREAT() | O_EXCL() | O_NOFOLLOW() | O_CLOEXEC(), 0600);
        } catch (ErrnoException e) {
            if (e.errno() == EEXIST()) {
                throw new RestoreRefused("exists; not overwritten");
            }
            throw e;
        }
    }

    /** Removes {@code name} from {@code parentFd} if it is still the file open as {@code fd} (ours). */
    static void removeOurs(int parentFd, byte[] name, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ours = arena.allocate(stat.layout());
            MemorySegment there = arena.allocate(stat.layout());
            MemorySegment n = CStrings.of(arena, name);
            Libc.fstat(fd, ours);
            Libc.fstatat(parentFd, n, there, AT_SYMLINK_NOFOLLOW());
            if (stat.st_dev(ours) == stat.st_dev(there) && stat.st_ino(ours) == stat.st_ino(there)) {
                Libc.unlinkat(parentFd, n, 0);
            }
        } catch (ErrnoException gone) {
            // renamed or removed meanwhile: nothing of ours left to remove
        }
    }

    /** Removes the directory {@code name} of {@code parentFd} if it is empty (one this restore made and gave up). */
    static void removeEmptyDirectory(int parentFd, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.unlinkat(parentFd, CStrings.of(arena, name), AT_REMOVEDIR());
        } catch (ErrnoException notEmpty) {
            // something else is in it now: left as it is
        }
    }

    /** A new symlink {@code name} in {@code parentFd} pointing at {@code target} (bytes as they were). */
    static void symlink(int parentFd, byte[] name, byte[] target) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.symlinkat(CStrings.of(arena, target), parentFd, CStrings.of(arena, name));
        } catch (ErrnoException e) {
            if (e.errno() == EEXIST()) {
                throw new RestoreRefused("exists; not overwritten");
            }
            throw e;
        }
    }

    /**
     * Gives the object open as {@code fd} what the backup says of it: owner
     * if {@code owners}, mode (setuid and setgid only with owners), times.
     */
    static void finish(int fd, MemorySegment st, boolean owners) {
        if (owners) {
            Libc.fchownat(fd, EMPTY, stat.st_uid(st), stat.st_gid(st), AT_EMPTY_PATH());
        }
        int mode = stat.st_mode(st) & 07777;
        Libc.fchmod(fd, owners ? mode : mode & ~06000);
        try (Arena arena = Arena.ofConfined()) {
            Libc.futimens(fd, times(arena, st));
        }
    }

    /** The same for a symlink {@code name} of {@code parentFd}: owner and times (a symlink has no mode). */
    static void finishSymlink(int parentFd, byte[] name, MemorySegment st, boolean owners) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = CStrings.of(arena, name);
            if (owners) {
                Libc.fchownat(parentFd, n, stat.st_uid(st), stat.st_gid(st), AT_SYMLINK_NOFOLLOW());
            }
            Libc.utimensat(parentFd, n, times(arena, st), AT_SYMLINK_NOFOLLOW());
        }
    }

    private static MemorySegment times(Arena arena, MemorySegment st) {
        MemorySegment times = arena.allocate(timespec.layout(), 2);
        MemorySegment.copy(stat.st_atim(st), 0, times, 0, timespec.sizeof());
        MemorySegment.copy(stat.st_mtim(st), 0, times, timespec.sizeof(), timespec.sizeof());
        return times;
    }

    /** Something at the destination that a restore must not touch: reported, and the restore goes on. */
    static final class RestoreRefused extends RuntimeException {
        RestoreRefused(String message) {
            super(message, null, false, false);
        }
    }
}
