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
 * adds only the errno capture. Paths are NUL-terminated C strings. Every
 * segment passed in is native memory the caller owns, read or written during
 * the call only; buffers must have the room the call is told they have. All
 * methods may be called from any thread; the ones that change credentials say
 * whose they change.
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

    /**
     * openat(2): opens {@code path}.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path
     * @param flags O_* flags (O_CLOEXEC is not added)
     * @param mode  the permissions of a file O_CREAT makes (the umask applies), else ignored
     * @return the new descriptor
     * @throws ErrnoException with the call's errno if it fails
     */
    public static int openat(int dirfd, MemorySegment path, int flags, int mode) {
        MemorySegment s = state();
        try {
            return check((int) Openat.H.invokeExact(s, dirfd, path, flags, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * close(2). Never throws: an error is returned instead, since after the
     * fact there is nothing to undo.
     *
     * @param fd the descriptor
     * @return 0, or the errno close(2) reported (EBADF: {@code fd} was not open; for any other the
     *         descriptor is closed all the same)
     */
    public static int close(int fd) {
        MemorySegment s = state();
        try {
            int r = (int) Close.H.invokeExact(s, fd);
            return r < 0 ? (int) ERRNO_VALUE.get(s, 0L) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * dup(2): a second descriptor for the same open file.
     *
     * @param fd the descriptor
     * @return the new descriptor
     * @throws ErrnoException with the call's errno if it fails
     */
    public static int dup(int fd) {
        MemorySegment s = state();
        try {
            return check((int) Dup.H.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fstatat(2): the attributes of {@code path} into {@code stat}.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path ("" with AT_EMPTY_PATH: {@code dirfd} itself)
     * @param stat  a native {@code struct stat}, written
     * @param flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, or 0
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fstatat(int dirfd, MemorySegment path, MemorySegment stat, int flags) {
        MemorySegment s = state();
        try {
            check((int) Fstatat.H.invokeExact(s, dirfd, path, stat, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fstat(2): the attributes of the open file {@code fd} into {@code stat}.
     *
     * @param fd   the descriptor
     * @param stat a native {@code struct stat}, written
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fstat(int fd, MemorySegment stat) {
        MemorySegment s = state();
        try {
            check((int) Fstat.H.invokeExact(s, fd, stat), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * lseek(2): moves (or finds, with SEEK_DATA and SEEK_HOLE) a file offset.
     *
     * @param fd     the descriptor
     * @param offset the offset, in bytes
     * @param whence SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA or SEEK_HOLE
     * @return the resulting offset
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long lseek(int fd, long offset, int whence) {
        MemorySegment s = state();
        try {
            return check((long) Lseek.H.invokeExact(s, fd, offset, whence), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * pread(2): reads at an offset, without moving the file offset.
     *
     * @param fd     the descriptor
     * @param buf    native memory of at least {@code count} bytes, written
     * @param count  the most bytes to read
     * @param offset where to read, in bytes
     * @return the bytes read; 0 at end of file
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment s = state();
        try {
            return check((long) Pread.H.invokeExact(s, fd, buf, count, offset), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * pwrite(2): writes at an offset, without moving the file offset.
     *
     * @param fd     the descriptor
     * @param buf    native memory holding the bytes
     * @param count  the bytes to write
     * @param offset where to write, in bytes
     * @return the bytes written (fewer on a short write)
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment s = state();
        try {
            return check((long) Pwrite.H.invokeExact(s, fd, buf, count, offset), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * readlinkat(2): a symlink's target, not NUL-terminated.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path ("" for {@code dirfd} itself, an O_PATH descriptor of the symlink)
     * @param buf   native memory of at least {@code size} bytes, written
     * @param size  the most bytes to write
     * @return the target's length in {@code buf} ({@code size} when it may have been cut short)
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf, long size) {
        MemorySegment s = state();
        try {
            return check((long) Readlinkat.H.invokeExact(s, dirfd, path, buf, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * mknodat(2): makes a file of any type.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path
     * @param mode  the file type bits and permissions (the umask applies)
     * @param dev   the device number of a device file, else 0
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void mknodat(int dirfd, MemorySegment path, int mode, long dev) {
        MemorySegment s = state();
        try {
            check((int) Mknodat.H.invokeExact(s, dirfd, path, mode, dev), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * mkdirat(2): makes a directory.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path
     * @param mode  the permissions (the umask applies)
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment s = state();
        try {
            check((int) Mkdirat.H.invokeExact(s, dirfd, path, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * unlinkat(2): removes a name, or with AT_REMOVEDIR an empty directory.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path
     * @param flags 0, or AT_REMOVEDIR
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment s = state();
        try {
            check((int) Unlinkat.H.invokeExact(s, dirfd, path, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * symlinkat(2): makes a symlink {@code path} pointing at {@code target}.
     *
     * @param target the NUL-terminated target
     * @param dirfd  the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path   a NUL-terminated path
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void symlinkat(MemorySegment target, int dirfd, MemorySegment path) {
        MemorySegment s = state();
        try {
            check((int) Symlinkat.H.invokeExact(s, target, dirfd, path), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * renameat2(2): renames.
     *
     * @param olddirfd the directory descriptor {@code oldpath} is relative to, or AT_FDCWD
     * @param oldpath  a NUL-terminated path
     * @param newdirfd the directory descriptor {@code newpath} is relative to, or AT_FDCWD
     * @param newpath  a NUL-terminated path
     * @param flags    0, RENAME_NOREPLACE, RENAME_EXCHANGE or RENAME_WHITEOUT
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void renameat2(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment s = state();
        try {
            check((int) Renameat2.H.invokeExact(s, olddirfd, oldpath, newdirfd, newpath, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * linkat(2): makes a hard link.
     *
     * @param olddirfd the directory descriptor {@code oldpath} is relative to, or AT_FDCWD
     * @param oldpath  a NUL-terminated path ("" with AT_EMPTY_PATH: {@code olddirfd} itself)
     * @param newdirfd the directory descriptor {@code newpath} is relative to, or AT_FDCWD
     * @param newpath  a NUL-terminated path
     * @param flags    0, AT_SYMLINK_FOLLOW or AT_EMPTY_PATH
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void linkat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment s = state();
        try {
            check((int) Linkat.H.invokeExact(s, olddirfd, oldpath, newdirfd, newpath, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fchmodat(2): changes the permissions of {@code path}.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path
     * @param mode  the new permission bits
     * @param flags fchmodat(2)'s flags, 0 in practice
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fchmodat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment s = state();
        try {
            check((int) Fchmodat.H.invokeExact(s, dirfd, path, mode, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fchmod(2): changes the permissions of an open file.
     *
     * @param fd   the descriptor (not an O_PATH one)
     * @param mode the new permission bits
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fchmod(int fd, int mode) {
        MemorySegment s = state();
        try {
            check((int) Fchmod.H.invokeExact(s, fd, mode), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fchownat(2): changes the owner and group of {@code path}.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path ("" with AT_EMPTY_PATH: {@code dirfd} itself)
     * @param uid   the new owner, or -1 to keep it
     * @param gid   the new group, or -1 to keep it
     * @param flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, or 0
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fchownat(int dirfd, MemorySegment path, int uid, int gid, int flags) {
        MemorySegment s = state();
        try {
            check((int) Fchownat.H.invokeExact(s, dirfd, path, uid, gid, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * utimensat(2): sets the access and modification times of {@code path}.
     *
     * @param dirfd the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path  a NUL-terminated path ("" with AT_EMPTY_PATH: {@code dirfd} itself)
     * @param times two native {@code struct timespec} (access, then modification; UTIME_NOW and UTIME_OMIT
     *              allowed), or NULL for now
     * @param flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, or 0
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment s = state();
        try {
            check((int) Utimensat.H.invokeExact(s, dirfd, path, times, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * futimens(3): sets the access and modification times of an open file.
     *
     * @param fd    the descriptor
     * @param times two native {@code struct timespec} (access, then modification; UTIME_NOW and UTIME_OMIT
     *              allowed), or NULL for now
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void futimens(int fd, MemorySegment times) {
        MemorySegment s = state();
        try {
            check((int) Futimens.H.invokeExact(s, fd, times), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ftruncate(2): sets the size of an open file.
     *
     * @param fd     the descriptor, open for writing
     * @param length the new size, in bytes
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void ftruncate(int fd, long length) {
        MemorySegment s = state();
        try {
            check((int) Ftruncate.H.invokeExact(s, fd, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * truncate(2): sets the size of the file at {@code path}.
     *
     * @param path   a NUL-terminated path
     * @param length the new size, in bytes
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void truncate(MemorySegment path, long length) {
        MemorySegment s = state();
        try {
            check((int) Truncate.H.invokeExact(s, path, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fsync(2): writes the file's data and metadata to stable storage.
     *
     * @param fd the descriptor
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fsync(int fd) {
        MemorySegment s = state();
        try {
            check((int) Fsync.H.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fdatasync(2): writes the file's data to stable storage.
     *
     * @param fd the descriptor
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fdatasync(int fd) {
        MemorySegment s = state();
        try {
            check((int) Fdatasync.H.invokeExact(s, fd), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fstatvfs(3): the figures of the filesystem holding an open file.
     *
     * @param fd      the descriptor
     * @param statvfs a native {@code struct statvfs}, written
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fstatvfs(int fd, MemorySegment statvfs) {
        MemorySegment s = state();
        try {
            check((int) Fstatvfs.H.invokeExact(s, fd, statvfs), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * getxattr(2): an extended attribute of {@code path}, following symlinks.
     *
     * @param path  a NUL-terminated path
     * @param name  the NUL-terminated attribute name
     * @param value native memory of at least {@code size} bytes, written (NULL with size 0)
     * @param size  the room in {@code value}; 0 to ask for the length
     * @return the value's length
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long getxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size) {
        MemorySegment s = state();
        try {
            return check((long) Getxattr.H.invokeExact(s, path, name, value, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * lgetxattr(2): as {@link #getxattr}, of a symlink itself.
     *
     * @param path  a NUL-terminated path
     * @param name  the NUL-terminated attribute name
     * @param value native memory of at least {@code size} bytes, written (NULL with size 0)
     * @param size  the room in {@code value}; 0 to ask for the length
     * @return the value's length
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long lgetxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size) {
        MemorySegment s = state();
        try {
            return check((long) Lgetxattr.H.invokeExact(s, path, name, value, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * setxattr(2): sets an extended attribute of {@code path}, following symlinks.
     *
     * @param path  a NUL-terminated path
     * @param name  the NUL-terminated attribute name
     * @param value native memory holding the value
     * @param size  the value's length
     * @param flags XATTR_CREATE, XATTR_REPLACE, or 0
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void setxattr(MemorySegment path, MemorySegment name, MemorySegment value, long size, int flags) {
        MemorySegment s = state();
        try {
            check((int) Setxattr.H.invokeExact(s, path, name, value, size, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * listxattr(2): the extended attribute names of {@code path}, each NUL-terminated, following symlinks.
     *
     * @param path a NUL-terminated path
     * @param list native memory of at least {@code size} bytes, written (NULL with size 0)
     * @param size the room in {@code list}; 0 to ask for the length
     * @return the list's length
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long listxattr(MemorySegment path, MemorySegment list, long size) {
        MemorySegment s = state();
        try {
            return check((long) Listxattr.H.invokeExact(s, path, list, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * llistxattr(2): as {@link #listxattr}, of a symlink itself.
     *
     * @param path a NUL-terminated path
     * @param list native memory of at least {@code size} bytes, written (NULL with size 0)
     * @param size the room in {@code list}; 0 to ask for the length
     * @return the list's length
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long llistxattr(MemorySegment path, MemorySegment list, long size) {
        MemorySegment s = state();
        try {
            return check((long) Llistxattr.H.invokeExact(s, path, list, size), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * removexattr(2): removes an extended attribute of {@code path}, following symlinks.
     *
     * @param path a NUL-terminated path
     * @param name the NUL-terminated attribute name
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void removexattr(MemorySegment path, MemorySegment name) {
        MemorySegment s = state();
        try {
            check((int) Removexattr.H.invokeExact(s, path, name), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fallocate(2): allocates or punches space in an open file.
     *
     * @param fd     the descriptor, open for writing
     * @param mode   0, or FALLOC_FL_* flags
     * @param offset the start of the range, in bytes
     * @param length the range's length, in bytes
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void fallocate(int fd, int mode, long offset, long length) {
        MemorySegment s = state();
        try {
            check((int) Fallocate.H.invokeExact(s, fd, mode, offset, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * copy_file_range(2); offIn and offOut point to 64-bit offsets that the call advances.
     *
     * @param fdIn   the descriptor to copy from
     * @param offIn  a native 64-bit offset to read from, advanced by the call; NULL to use and move the file offset
     * @param fdOut  the descriptor to copy to
     * @param offOut a native 64-bit offset to write at, advanced by the call; NULL to use and move the file offset
     * @param length the most bytes to copy
     * @param flags  0
     * @return the bytes copied; 0 at end of the input
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long copyFileRange(int fdIn, MemorySegment offIn, int fdOut, MemorySegment offOut, long length, int flags) {
        MemorySegment s = state();
        try {
            return check((long) CopyFileRange.H.invokeExact(s, fdIn, offIn, fdOut, offOut, length, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * flock(2): takes or drops a BSD lock on an open file.
     *
     * @param fd        the descriptor
     * @param operation LOCK_SH, LOCK_EX or LOCK_UN, possibly with LOCK_NB
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void flock(int fd, int operation) {
        MemorySegment s = state();
        try {
            check((int) Flock.H.invokeExact(s, fd, operation), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * name_to_handle_at(2): the kernel file handle of {@code path}.
     *
     * @param dirfd   the directory descriptor {@code path} is relative to, or AT_FDCWD
     * @param path    a NUL-terminated path ("" with AT_EMPTY_PATH: {@code dirfd} itself)
     * @param handle  a native {@code struct file_handle} with {@code handle_bytes} set to its room, written
     * @param mountId a native int, written with the mount's id
     * @param flags   AT_EMPTY_PATH, AT_SYMLINK_FOLLOW, or 0
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void nameToHandleAt(int dirfd, MemorySegment path, MemorySegment handle, MemorySegment mountId, int flags) {
        MemorySegment s = state();
        try {
            check((int) NameToHandleAt.H.invokeExact(s, dirfd, path, handle, mountId, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * open_by_handle_at(2): opens a file by its kernel file handle (needs CAP_DAC_READ_SEARCH).
     *
     * @param mountFd any descriptor on the filesystem the handle belongs to
     * @param handle  a native {@code struct file_handle}, as {@link #nameToHandleAt} wrote it
     * @param flags   O_* flags, e.g. O_PATH
     * @return the new descriptor
     * @throws ErrnoException with the call's errno if it fails
     */
    public static int openByHandleAt(int mountFd, MemorySegment handle, int flags) {
        MemorySegment s = state();
        try {
            return check((int) OpenByHandleAt.H.invokeExact(s, mountFd, handle, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * getrlimit(2): a resource limit of the process.
     *
     * @param resource RLIMIT_*
     * @param rlimit   a native {@code struct rlimit}, written
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void getrlimit(int resource, MemorySegment rlimit) {
        MemorySegment s = state();
        try {
            check((int) Getrlimit.H.invokeExact(s, resource, rlimit), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * setrlimit(2): sets a resource limit of the process.
     *
     * @param resource RLIMIT_*
     * @param rlimit   a native {@code struct rlimit} holding the new limits
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void setrlimit(int resource, MemorySegment rlimit) {
        MemorySegment s = state();
        try {
            check((int) Setrlimit.H.invokeExact(s, resource, rlimit), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * getdents64(2): the next directory entries of an open directory.
     *
     * @param fd     the directory's descriptor (opened for reading, not O_PATH)
     * @param buf    native memory of at least {@code length} bytes, written with {@code struct linux_dirent64} records
     * @param length the room in {@code buf}
     * @return the bytes written; 0 at the end of the directory
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long getdents64(int fd, MemorySegment buf, long length) {
        MemorySegment s = state();
        try {
            return check((long) Getdents64.H.invokeExact(s, fd, buf, length), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * read(2): reads at the file offset.
     *
     * @param fd    the descriptor
     * @param buf   native memory of at least {@code count} bytes, written
     * @param count the most bytes to read
     * @return the bytes read; 0 at end of file
     * @throws ErrnoException with the call's errno if it fails
     */
    public static long read(int fd, MemorySegment buf, long count) {
        MemorySegment s = state();
        try {
            return check((long) Read.H.invokeExact(s, fd, buf, count), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * unshare(2): gives the calling thread its own copy of what {@code flags} name.
     *
     * @param flags CLONE_* flags, e.g. CLONE_FS
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void unshare(int flags) {
        MemorySegment s = state();
        try {
            check((int) Unshare.H.invokeExact(s, flags), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * getgroups(2): fills {@code list} (room for {@code size} gids) and returns the count.
     *
     * @param size the room in {@code list}, in gids; 0 to ask for the count
     * @param list native memory for {@code size} gid_t values, written
     * @return the number of supplementary groups
     * @throws ErrnoException with the call's errno if it fails
     */
    public static int getgroups(int size, MemorySegment list) {
        MemorySegment s = state();
        try {
            return check((int) Getgroups.H.invokeExact(s, size, list), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * setfsuid(2) for the calling thread; returns the previous fsuid (also when it failed: check).
     *
     * @param uid the new fsuid, or -1 to only read it
     * @return the previous fsuid
     */
    public static int setfsuid(int uid) {
        try {
            return (int) Setfsuid.H.invokeExact(uid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * setfsgid(2) for the calling thread; returns the previous fsgid (also when it failed: check).
     *
     * @param gid the new fsgid, or -1 to only read it
     * @return the previous fsgid
     */
    public static int setfsgid(int gid) {
        try {
            return (int) Setfsgid.H.invokeExact(gid);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The raw setgroups system call: the calling thread's supplementary groups only.
     *
     * @param count the number of gids in {@code gids}
     * @param gids  native memory holding {@code count} gid_t values
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void setgroupsThisThread(int count, MemorySegment gids) {
        MemorySegment s = state();
        try {
            check((long) SyscallLongPointer.H.invokeExact(s, (long) SYS_setgroups(), (long) count, gids), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * capget(2) for the thread named in {@code header}.
     *
     * @param header a native {@code __user_cap_header_struct}: version 3 and the thread's id (0 for the calling thread)
     * @param data   two native {@code __user_cap_data_struct}, written
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void capget(MemorySegment header, MemorySegment data) {
        MemorySegment s = state();
        try {
            check((long) SyscallPointerPointer.H.invokeExact(s, (long) SYS_capget(), header, data), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * capset(2): the calling thread's capability sets.
     *
     * @param header a native {@code __user_cap_header_struct}: version 3 and pid 0
     * @param data   two native {@code __user_cap_data_struct} holding the new sets
     * @throws ErrnoException with the call's errno if it fails
     */
    public static void capset(MemorySegment header, MemorySegment data) {
        MemorySegment s = state();
        try {
            check((long) SyscallPointerPointer.H.invokeExact(s, (long) SYS_capset(), header, data), s);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

}
