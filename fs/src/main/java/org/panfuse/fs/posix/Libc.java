package org.panfuse.fs.posix;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import org.panfuse.fs.errno.ErrnoException;

/**
 * The libc calls a filesystem needs, with errno captured at the call
 * ({@link Linker.Option#captureCallState}), so nothing between the call and
 * the check can clobber it. A failing call throws {@link ErrnoException}.
 *
 * <p>Addresses and signatures come from the generated bindings; this class
 * adds only the errno capture. Paths are NUL-terminated C strings.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_VALUE = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CALL_STATE = ThreadLocal.withInitial(
            () -> java.lang.foreign.Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

    private static MethodHandle handle(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(address, descriptor, options);
    }

    // openat is variadic: its mode travels as the first variadic argument.
    private static final MethodHandle OPENAT = handle(openat.address(),
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT), Linker.Option.firstVariadicArg(3));
    private static final MethodHandle CLOSE = handle(close$address(), close$descriptor());
    private static final MethodHandle DUP = handle(dup$address(), dup$descriptor());
    private static final MethodHandle FSTATAT = handle(fstatat$address(), fstatat$descriptor());
    private static final MethodHandle FSTAT = handle(fstat$address(), fstat$descriptor());
    private static final MethodHandle LSEEK = handle(lseek$address(), lseek$descriptor());
    private static final MethodHandle PREAD = handle(pread$address(), pread$descriptor());
    private static final MethodHandle PWRITE = handle(pwrite$address(), pwrite$descriptor());
    private static final MethodHandle READLINKAT = handle(readlinkat$address(), readlinkat$descriptor());
    private static final MethodHandle MKNODAT = handle(mknodat$address(), mknodat$descriptor());
    private static final MethodHandle MKDIRAT = handle(mkdirat$address(), mkdirat$descriptor());
    private static final MethodHandle UNLINKAT = handle(unlinkat$address(), unlinkat$descriptor());
    private static final MethodHandle SYMLINKAT = handle(symlinkat$address(), symlinkat$descriptor());
    private static final MethodHandle RENAMEAT2 = handle(renameat2$address(), renameat2$descriptor());
    private static final MethodHandle LINKAT = handle(linkat$address(), linkat$descriptor());
    private static final MethodHandle FCHMODAT = handle(fchmodat$address(), fchmodat$descriptor());
    private static final MethodHandle FCHMOD = handle(fchmod$address(), fchmod$descriptor());
    private static final MethodHandle FCHOWNAT = handle(fchownat$address(), fchownat$descriptor());
    private static final MethodHandle UTIMENSAT = handle(utimensat$address(), utimensat$descriptor());
    private static final MethodHandle FUTIMENS = handle(futimens$address(), futimens$descriptor());
    private static final MethodHandle FTRUNCATE = handle(ftruncate$address(), ftruncate$descriptor());
    private static final MethodHandle TRUNCATE = handle(truncate$address(), truncate$descriptor());
    private static final MethodHandle FSYNC = handle(fsync$address(), fsync$descriptor());
    private static final MethodHandle FDATASYNC = handle(fdatasync$address(), fdatasync$descriptor());
    private static final MethodHandle FSTATVFS = handle(fstatvfs$address(), fstatvfs$descriptor());
    private static final MethodHandle GETXATTR = handle(getxattr$address(), getxattr$descriptor());
    private static final MethodHandle SETXATTR = handle(setxattr$address(), setxattr$descriptor());
    private static final MethodHandle LISTXATTR = handle(listxattr$address(), listxattr$descriptor());
    private static final MethodHandle REMOVEXATTR = handle(removexattr$address(), removexattr$descriptor());
    private static final MethodHandle LGETXATTR = handle(lgetxattr$address(), lgetxattr$descriptor());
    private static final MethodHandle LLISTXATTR = handle(llistxattr$address(), llistxattr$descriptor());
    private static final MethodHandle FALLOCATE = handle(fallocate$address(), fallocate$descriptor());
    private static final MethodHandle COPY_FILE_RANGE = handle(copy_file_range$address(), copy_file_range$descriptor());
    private static final MethodHandle FLOCK = handle(flock$address(), flock$descriptor());
    private static final MethodHandle NAME_TO_HANDLE_AT = handle(name_to_handle_at$address(), name_to_handle_at$descriptor());
    private static final MethodHandle OPEN_BY_HANDLE_AT = handle(open_by_handle_at$address(), open_by_handle_at$descriptor());
    private static final MethodHandle GETRLIMIT = handle(getrlimit$address(), getrlimit$descriptor());
    private static final MethodHandle SETRLIMIT = handle(setrlimit$address(), setrlimit$descriptor());
    private static final MethodHandle GETDENTS64 = handle(getdents64$address(), getdents64$descriptor());

    private Libc() {
    }

    private static MemorySegment state() {
        return CALL_STATE.get();
    }

    private static int check(int result, MemorySegment state) {
        if (result < 0) {
            throw ErrnoException.of((int) ERRNO_VALUE.get(state, 0L));
        }
        return result;
    }

    private static long check(long result, MemorySegment state) {
        if (result < 0) {
            throw ErrnoException.of((int) ERRNO_VALUE.get(state, 0L));
        }
        return result;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        MemorySegment s = state();
        try {
            return check((int) OPENAT.invokeExact(s, dirfd, path, flags, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2); errors other than EBADF are not actionable after the fact and are returned, not thrown. */
    public static int close(int fd) {
        MemorySegment s = state();
        try {
            int r = (int) CLOSE.invokeExact(s, fd);
            return r < 0 ? (int) ERRNO_VALUE.get(s, 0L) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int dup(int fd) {
        MemorySegment s = state();
        try {
            return check((int) DUP.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fstatat(int dirfd, MemorySegment path, MemorySegment stat, int flags) {
        MemorySegment s = state();
        try {
            check((int) FSTATAT.invokeExact(s, dirfd, path, stat, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fstat(int fd, MemorySegment stat) {
        MemorySegment s = state();
        try {
            check((int) FSTAT.invokeExact(s, fd, stat), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long lseek(int fd, long offset, int whence) {
        MemorySegment s = state();
        try {
            return check((long) LSEEK.invokeExact(s, fd, offset, whence), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment s = state();
        try {
            return check((long) PREAD.invokeExact(s, fd, buf, count, offset), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment s = state();
        try {
            return check((long) PWRITE.invokeExact(s, fd, buf, count, offset), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf, long size) {
        MemorySegment s = state();
        try {
            return check((long) READLINKAT.invokeExact(s, dirfd, path, buf, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void mknodat(int dirfd, MemorySegment path, int mode, long dev) {
        MemorySegment s = state();
        try {
            check((int) MKNODAT.invokeExact(s, dirfd, path, mode, dev), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment s = state();
        try {
            check((int) MKDIRAT.invokeExact(s, dirfd, path, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment s = state();
        try {
            check((int) UNLINKAT.invokeExact(s, dirfd, path, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void symlinkat(MemorySegment target, int dirfd, MemorySegment path) {
        MemorySegment s = state();
        try {
            check((int) SYMLINKAT.invokeExact(s, target, dirfd, path), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void renameat2(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment s = state();
        try {
            check((int) RENAMEAT2.invokeExact(s, olddirfd, oldpath, newdirfd, newpath, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void linkat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment s = state();
        try {
            check((int) LINKAT.invokeExact(s, olddirfd, oldpath, newdirfd, newpath, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fchmodat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment s = state();
        try {
            check((int) FCHMODAT.invokeExact(s, dirfd, path, mode, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fchmod(int fd, int mode) {
        MemorySegment s = state();
        try {
            check((int) FCHMOD.invokeExact(s, fd, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fchownat(int dirfd, MemorySegment path, int uid, int gid, int flags) {
        MemorySegment s = state();
        try {
            check((int) FCHOWNAT.invokeExact(s, dirfd, path, uid, gid, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment s = state();
        try {
            check((int) UTIMENSAT.invokeExact(s, dirfd, path, times, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void futimens(int fd, MemorySegment times) {
        MemorySegment s = state();
        try {
            check((int) FUTIMENS.invokeExact(s, fd, times), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void ftruncate(int fd, long length) {
        MemorySegment s = state();
        try {
            check((int) FTRUNCATE.invokeExact(s, fd, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void truncate(MemorySegment path, long length) {
        MemorySegment s = state();
        try {
            check((int) TRUNCATE.invokeExact(s, path, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fsync(int fd) {
        MemorySegment s = state();
        try {
            check((int) FSYNC.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fdatasync(int fd) {
        MemorySegment s = state();
        try {
            check((int) FDATASYNC.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fstatvfs(int fd, MemorySegment statvfs) {
        MemorySegment s = state();
        try {
            check((int) FSTATVFS.invokeExact(s, fd, statvfs), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long getxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size) {
        MemorySegment s = state();
        try {
            return check((long) GETXATTR.invokeExact(s, path, name, value, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long lgetxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size) {
        MemorySegment s = state();
        try {
            return check((long) LGETXATTR.invokeExact(s, path, name, value, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size, int flags) {
        MemorySegment s = state();
        try {
            check((int) SETXATTR.invokeExact(s, path, name, value, size, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long listxattr(MemorySegment path, MemorySegment list, long size) {
        MemorySegment s = state();
        try {
            return check((long) LISTXATTR.invokeExact(s, path, list, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long llistxattr(MemorySegment path, MemorySegment list, long size) {
        MemorySegment s = state();
        try {
            return check((long) LLISTXATTR.invokeExact(s, path, list, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void removexattr(MemorySegment path, MemorySegment name) {
        MemorySegment s = state();
        try {
            check((int) REMOVEXATTR.invokeExact(s, path, name), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fallocate(int fd, int mode, long offset, long length) {
        MemorySegment s = state();
        try {
            check((int) FALLOCATE.invokeExact(s, fd, mode, offset, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** copy_file_range(2); offIn and offOut point to 64-bit offsets that the call advances. */
    public static long copyFileRange(int fdIn, MemorySegment offIn, int fdOut, MemorySegment offOut, long length, int flags) {
        MemorySegment s = state();
        try {
            return check((long) COPY_FILE_RANGE.invokeExact(s, fdIn, offIn, fdOut, offOut, length, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void flock(int fd, int operation) {
        MemorySegment s = state();
        try {
            check((int) FLOCK.invokeExact(s, fd, operation), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void nameToHandleAt(int dirfd, MemorySegment path, MemorySegment handle, MemorySegment mountId, int flags) {
        MemorySegment s = state();
        try {
            check((int) NAME_TO_HANDLE_AT.invokeExact(s, dirfd, path, handle, mountId, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int openByHandleAt(int mountFd, MemorySegment handle, int flags) {
        MemorySegment s = state();
        try {
            return check((int) OPEN_BY_HANDLE_AT.invokeExact(s, mountFd, handle, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void getrlimit(int resource, MemorySegment rlimit) {
        MemorySegment s = state();
        try {
            check((int) GETRLIMIT.invokeExact(s, resource, rlimit), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setrlimit(int resource, MemorySegment rlimit) {
        MemorySegment s = state();
        try {
            check((int) SETRLIMIT.invokeExact(s, resource, rlimit), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long getdents64(int fd, MemorySegment buf, long length) {
        MemorySegment s = state();
        try {
            return check((long) GETDENTS64.invokeExact(s, fd, buf, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

}
