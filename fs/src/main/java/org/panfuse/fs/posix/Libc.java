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

    // One holder class per function: a downcall handle is linked on first use
    // (each costs milliseconds to spin), so start-up pays only for what it calls.
    // openat is variadic: its mode travels as the first variadic argument.
    private static final class Openat {
        static final MethodHandle H = handle(openat.address(),
                FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT), Linker.Option.firstVariadicArg(3));
    }
    private static final class Close {
        static final MethodHandle H = handle(close$address(), close$descriptor());
    }
    private static final class Dup {
        static final MethodHandle H = handle(dup$address(), dup$descriptor());
    }
    private static final class Fstatat {
        static final MethodHandle H = handle(fstatat$address(), fstatat$descriptor());
    }
    private static final class Fstat {
        static final MethodHandle H = handle(fstat$address(), fstat$descriptor());
    }
    private static final class Lseek {
        static final MethodHandle H = handle(lseek$address(), lseek$descriptor());
    }
    private static final class Pread {
        static final MethodHandle H = handle(pread$address(), pread$descriptor());
    }
    private static final class Pwrite {
        static final MethodHandle H = handle(pwrite$address(), pwrite$descriptor());
    }
    private static final class Readlinkat {
        static final MethodHandle H = handle(readlinkat$address(), readlinkat$descriptor());
    }
    private static final class Mknodat {
        static final MethodHandle H = handle(mknodat$address(), mknodat$descriptor());
    }
    private static final class Mkdirat {
        static final MethodHandle H = handle(mkdirat$address(), mkdirat$descriptor());
    }
    private static final class Unlinkat {
        static final MethodHandle H = handle(unlinkat$address(), unlinkat$descriptor());
    }
    private static final class Symlinkat {
        static final MethodHandle H = handle(symlinkat$address(), symlinkat$descriptor());
    }
    private static final class Renameat2 {
        static final MethodHandle H = handle(renameat2$address(), renameat2$descriptor());
    }
    private static final class Linkat {
        static final MethodHandle H = handle(linkat$address(), linkat$descriptor());
    }
    private static final class Fchmodat {
        static final MethodHandle H = handle(fchmodat$address(), fchmodat$descriptor());
    }
    private static final class Fchmod {
        static final MethodHandle H = handle(fchmod$address(), fchmod$descriptor());
    }
    private static final class Fchownat {
        static final MethodHandle H = handle(fchownat$address(), fchownat$descriptor());
    }
    private static final class Utimensat {
        static final MethodHandle H = handle(utimensat$address(), utimensat$descriptor());
    }
    private static final class Futimens {
        static final MethodHandle H = handle(futimens$address(), futimens$descriptor());
    }
    private static final class Ftruncate {
        static final MethodHandle H = handle(ftruncate$address(), ftruncate$descriptor());
    }
    private static final class Truncate {
        static final MethodHandle H = handle(truncate$address(), truncate$descriptor());
    }
    private static final class Fsync {
        static final MethodHandle H = handle(fsync$address(), fsync$descriptor());
    }
    private static final class Fdatasync {
        static final MethodHandle H = handle(fdatasync$address(), fdatasync$descriptor());
    }
    private static final class Fstatvfs {
        static final MethodHandle H = handle(fstatvfs$address(), fstatvfs$descriptor());
    }
    private static final class Getxattr {
        static final MethodHandle H = handle(getxattr$address(), getxattr$descriptor());
    }
    private static final class Setxattr {
        static final MethodHandle H = handle(setxattr$address(), setxattr$descriptor());
    }
    private static final class Listxattr {
        static final MethodHandle H = handle(listxattr$address(), listxattr$descriptor());
    }
    private static final class Removexattr {
        static final MethodHandle H = handle(removexattr$address(), removexattr$descriptor());
    }
    private static final class Lgetxattr {
        static final MethodHandle H = handle(lgetxattr$address(), lgetxattr$descriptor());
    }
    private static final class Llistxattr {
        static final MethodHandle H = handle(llistxattr$address(), llistxattr$descriptor());
    }
    private static final class Fallocate {
        static final MethodHandle H = handle(fallocate$address(), fallocate$descriptor());
    }
    private static final class CopyFileRange {
        static final MethodHandle H = handle(copy_file_range$address(), copy_file_range$descriptor());
    }
    private static final class Flock {
        static final MethodHandle H = handle(flock$address(), flock$descriptor());
    }
    private static final class NameToHandleAt {
        static final MethodHandle H = handle(name_to_handle_at$address(), name_to_handle_at$descriptor());
    }
    private static final class OpenByHandleAt {
        static final MethodHandle H = handle(open_by_handle_at$address(), open_by_handle_at$descriptor());
    }
    private static final class Getrlimit {
        static final MethodHandle H = handle(getrlimit$address(), getrlimit$descriptor());
    }
    private static final class Setrlimit {
        static final MethodHandle H = handle(setrlimit$address(), setrlimit$descriptor());
    }
    private static final class Getdents64 {
        static final MethodHandle H = handle(getdents64$address(), getdents64$descriptor());
    }

    private static final class Read {
        static final MethodHandle H = handle(read$address(), read$descriptor());
    }
    private static final class Unshare {
        static final MethodHandle H = handle(unshare$address(), unshare$descriptor());
    }
    private static final class Getgroups {
        static final MethodHandle H = handle(getgroups$address(), getgroups$descriptor());
    }
    // setfsuid and setfsgid report nothing through errno: they return the previous id either way.
    private static final class Setfsuid {
        static final MethodHandle H = LINKER.downcallHandle(setfsuid$address(), setfsuid$descriptor());
    }
    private static final class Setfsgid {
        static final MethodHandle H = LINKER.downcallHandle(setfsgid$address(), setfsgid$descriptor());
    }
    // syscall(2) is variadic; the raw system calls below change the calling thread only, where
    // glibc's setgroups(3) wrapper would change every thread of the process.
    private static final class SyscallLongPointer {
        static final MethodHandle H = handle(syscall.address(),
                FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_POINTER), Linker.Option.firstVariadicArg(1));
    }
    private static final class SyscallPointerPointer {
        static final MethodHandle H = handle(syscall.address(),
                FunctionDescriptor.of(C_LONG, C_LONG, C_POINTER, C_POINTER), Linker.Option.firstVariadicArg(1));
    }

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
            return check((int) Openat.H.invokeExact(s, dirfd, path, flags, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2); errors other than EBADF are not actionable after the fact and are returned, not thrown. */
    public static int close(int fd) {
        MemorySegment s = state();
        try {
            int r = (int) Close.H.invokeExact(s, fd);
            return r < 0 ? (int) ERRNO_VALUE.get(s, 0L) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int dup(int fd) {
        MemorySegment s = state();
        try {
            return check((int) Dup.H.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fstatat(int dirfd, MemorySegment path, MemorySegment stat, int flags) {
        MemorySegment s = state();
        try {
            check((int) Fstatat.H.invokeExact(s, dirfd, path, stat, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fstat(int fd, MemorySegment stat) {
        MemorySegment s = state();
        try {
            check((int) Fstat.H.invokeExact(s, fd, stat), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long lseek(int fd, long offset, int whence) {
        MemorySegment s = state();
        try {
            return check((long) Lseek.H.invokeExact(s, fd, offset, whence), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment s = state();
        try {
            return check((long) Pread.H.invokeExact(s, fd, buf, count, offset), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment s = state();
        try {
            return check((long) Pwrite.H.invokeExact(s, fd, buf, count, offset), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf, long size) {
        MemorySegment s = state();
        try {
            return check((long) Readlinkat.H.invokeExact(s, dirfd, path, buf, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void mknodat(int dirfd, MemorySegment path, int mode, long dev) {
        MemorySegment s = state();
        try {
            check((int) Mknodat.H.invokeExact(s, dirfd, path, mode, dev), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment s = state();
        try {
            check((int) Mkdirat.H.invokeExact(s, dirfd, path, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment s = state();
        try {
            check((int) Unlinkat.H.invokeExact(s, dirfd, path, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void symlinkat(MemorySegment target, int dirfd, MemorySegment path) {
        MemorySegment s = state();
        try {
            check((int) Symlinkat.H.invokeExact(s, target, dirfd, path), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void renameat2(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment s = state();
        try {
            check((int) Renameat2.H.invokeExact(s, olddirfd, oldpath, newdirfd, newpath, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void linkat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment s = state();
        try {
            check((int) Linkat.H.invokeExact(s, olddirfd, oldpath, newdirfd, newpath, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fchmodat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment s = state();
        try {
            check((int) Fchmodat.H.invokeExact(s, dirfd, path, mode, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fchmod(int fd, int mode) {
        MemorySegment s = state();
        try {
            check((int) Fchmod.H.invokeExact(s, fd, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fchownat(int dirfd, MemorySegment path, int uid, int gid, int flags) {
        MemorySegment s = state();
        try {
            check((int) Fchownat.H.invokeExact(s, dirfd, path, uid, gid, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment s = state();
        try {
            check((int) Utimensat.H.invokeExact(s, dirfd, path, times, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void futimens(int fd, MemorySegment times) {
        MemorySegment s = state();
        try {
            check((int) Futimens.H.invokeExact(s, fd, times), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void ftruncate(int fd, long length) {
        MemorySegment s = state();
        try {
            check((int) Ftruncate.H.invokeExact(s, fd, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void truncate(MemorySegment path, long length) {
        MemorySegment s = state();
        try {
            check((int) Truncate.H.invokeExact(s, path, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fsync(int fd) {
        MemorySegment s = state();
        try {
            check((int) Fsync.H.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fdatasync(int fd) {
        MemorySegment s = state();
        try {
            check((int) Fdatasync.H.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fstatvfs(int fd, MemorySegment statvfs) {
        MemorySegment s = state();
        try {
            check((int) Fstatvfs.H.invokeExact(s, fd, statvfs), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long getxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size) {
        MemorySegment s = state();
        try {
            return check((long) Getxattr.H.invokeExact(s, path, name, value, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long lgetxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size) {
        MemorySegment s = state();
        try {
            return check((long) Lgetxattr.H.invokeExact(s, path, name, value, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size, int flags) {
        MemorySegment s = state();
        try {
            check((int) Setxattr.H.invokeExact(s, path, name, value, size, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long listxattr(MemorySegment path, MemorySegment list, long size) {
        MemorySegment s = state();
        try {
            return check((long) Listxattr.H.invokeExact(s, path, list, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long llistxattr(MemorySegment path, MemorySegment list, long size) {
        MemorySegment s = state();
        try {
            return check((long) Llistxattr.H.invokeExact(s, path, list, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void removexattr(MemorySegment path, MemorySegment name) {
        MemorySegment s = state();
        try {
            check((int) Removexattr.H.invokeExact(s, path, name), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fallocate(int fd, int mode, long offset, long length) {
        MemorySegment s = state();
        try {
            check((int) Fallocate.H.invokeExact(s, fd, mode, offset, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** copy_file_range(2); offIn and offOut point to 64-bit offsets that the call advances. */
    public static long copyFileRange(int fdIn, MemorySegment offIn, int fdOut, MemorySegment offOut, long length, int flags) {
        MemorySegment s = state();
        try {
            return check((long) CopyFileRange.H.invokeExact(s, fdIn, offIn, fdOut, offOut, length, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void flock(int fd, int operation) {
        MemorySegment s = state();
        try {
            check((int) Flock.H.invokeExact(s, fd, operation), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void nameToHandleAt(int dirfd, MemorySegment path, MemorySegment handle, MemorySegment mountId, int flags) {
        MemorySegment s = state();
        try {
            check((int) NameToHandleAt.H.invokeExact(s, dirfd, path, handle, mountId, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int openByHandleAt(int mountFd, MemorySegment handle, int flags) {
        MemorySegment s = state();
        try {
            return check((int) OpenByHandleAt.H.invokeExact(s, mountFd, handle, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void getrlimit(int resource, MemorySegment rlimit) {
        MemorySegment s = state();
        try {
            check((int) Getrlimit.H.invokeExact(s, resource, rlimit), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setrlimit(int resource, MemorySegment rlimit) {
        MemorySegment s = state();
        try {
            check((int) Setrlimit.H.invokeExact(s, resource, rlimit), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long getdents64(int fd, MemorySegment buf, long length) {
        MemorySegment s = state();
        try {
            return check((long) Getdents64.H.invokeExact(s, fd, buf, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long count) {
        MemorySegment s = state();
        try {
            return check((long) Read.H.invokeExact(s, fd, buf, count), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void unshare(int flags) {
        MemorySegment s = state();
        try {
            check((int) Unshare.H.invokeExact(s, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getgroups(2): fills {@code list} (room for {@code size} gids) and returns the count. */
    public static int getgroups(int size, MemorySegment list) {
        MemorySegment s = state();
        try {
            return check((int) Getgroups.H.invokeExact(s, size, list), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setfsuid(2) for the calling thread; returns the previous fsuid (also when it failed: check). */
    public static int setfsuid(int uid) {
        try {
            return (int) Setfsuid.H.invokeExact(uid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setfsgid(2) for the calling thread; returns the previous fsgid (also when it failed: check). */
    public static int setfsgid(int gid) {
        try {
            return (int) Setfsgid.H.invokeExact(gid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The raw setgroups system call: the calling thread's supplementary groups only. */
    public static void setgroupsThisThread(int count, MemorySegment gids) {
        MemorySegment s = state();
        try {
            check((long) SyscallLongPointer.H.invokeExact(s, (long) SYS_setgroups(), (long) count, gids), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** capget(2) for the thread named in {@code header}. */
    public static void capget(MemorySegment header, MemorySegment data) {
        MemorySegment s = state();
        try {
            check((long) SyscallPointerPointer.H.invokeExact(s, (long) SYS_capget(), header, data), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** capset(2): the calling thread's capability sets. */
    public static void capset(MemorySegment header, MemorySegment data) {
        MemorySegment s = state();
        try {
            check((long) SyscallPointerPointer.H.invokeExact(s, (long) SYS_capset(), header, data), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

}
