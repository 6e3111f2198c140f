package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.panfuse.bindings.fuse_backing_map;
import org.panfuse.fs.errno.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's backing files (kernel passthrough): one backing id per
 * inode, shared by all its open files and freed when the last of them is
 * released. That is the kernel's rule: a second id for an inode that is open
 * is refused, and freeing an id right after the open reply races the opener.
 * An inode whose file the kernel will not take (too deep a stack of
 * filesystems, a file without read_iter) is never passed through, so its
 * opens are never mixed.
 */
final class BackingFiles {
    private static final Logger LOG = LoggerFactory.getLogger(BackingFiles.class);
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_VALUE = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** ioctl(int fd, unsigned long request, void *arg): variadic from the third argument. */
    private static final MethodHandle IOCTL = Linker.nativeLinker().downcallHandle(ioctl.address(),
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), ERRNO, Linker.Option.firstVariadicArg(2));

    /** Per thread: the call state (errno), then the ioctl's argument (a fuse_backing_map or an id). */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto()
            .allocate(Linker.Option.captureStateLayout().byteSize() + 64, 16));
    private static final long ARG = 32;
    /** openat with its mode as the variadic argument: linked once, not per backing file. */
    private static final openat OPENAT = openat.makeInvoker(C_INT);

    private final int deviceFd;
    private final ConcurrentHashMap<Long, Backing> byInode = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    /** An inode's backing id and the open files that use it. Guarded by its own monitor. */
    private static final class Backing {
        int id;
        long opens;
        /** The kernel would not take this inode's file: its opens are never passed through. */
        boolean refused;
        /** Taken out of the table: a new Backing serves the inode's next open. */
        boolean gone;
    }

    BackingFiles(int deviceFd) {
        this.deviceFd = deviceFd;
    }

    /**
     * The backing id for one more open file of {@code ino}, backed by
     * {@code fd} (used only if the inode has no id yet); -1 if this inode's
     * file cannot be passed through.
     */
    int acquire(long ino, int fd) {
        while (true) {
            Backing b = byInode.computeIfAbsent(ino, k -> new Backing());
            synchronized (b) {
                if (b.gone) {
                    continue;
                }
                if (b.refused) {
                    return -1;
                }
                if (b.id == 0) {
                    try {
                        b.id = openBackingSeparately(fd);
                        open.incrementAndGet();
                    } catch (ErrnoException e) {
                        b.refused = true;
                        LOG.debug("inode {}: not passed through ({})", ino, e.getMessage());
                        return -1;
                    }
                }
                b.opens++;
                return b.id;
            }
        }
    }

    /** One open file of {@code ino} released: its backing id goes with the last. */
    void release(long ino) {
        Backing b = byInode.get(ino);
        if (b == null) {
            return;
        }
        synchronized (b) {
            if (b.opens == 0) {
                return;
            }
            if (--b.opens == 0) {
                closeBacking(b.id);
                open.decrementAndGet();
                b.id = 0;
                b.gone = true;
                byInode.remove(ino, b);
            }
        }
    }

    /** The kernel forgot {@code ino}: an inode it refused may be a new file next time. */
    void forget(long ino) {
        Backing b = byInode.get(ino);
        if (b != null) {
            synchronized (b) {
                if (b.refused && b.opens == 0) {
                    b.gone = true;
                    byInode.remove(ino, b);
                }
            }
        }
    }

    /** Backing ids currently open (for tests and monitoring). */
    int openIds() {
        return open.get();
    }

    /**
     * Backs the inode with an open file of its own, not the filesystem's
     * {@code fd}: the kernel keeps the backing file until the id is closed,
     * at the inode's last release, and with it whatever belongs to that open
     * file description. Were it the filesystem's, a flock the filesystem took
     * on it for one open would outlive that open's release (another open of
     * the inode keeps the id), and its waiters would wait forever.
     */
    private int openBackingSeparately(int fd) {
        int own;
        try (Arena arena = Arena.ofConfined()) {
            own = OPENAT.apply(AT_FDCWD(), arena.allocateFrom("/proc/self/fd/" + fd),
                    O_PATH() | O_CLOEXEC(), 0);
        }
        if (own < 0) {
            throw ErrnoException.of(EBADF());
        }
        try {
            return openBacking(own);
        } finally {
            close(own);
        }
    }

    /** FUSE_DEV_IOC_BACKING_OPEN: the kernel takes {@code fd} as a backing file and names it by an id. */
    int openBacking(int fd) {
        MemorySegment scratch = SCRATCH.get();
        MemorySegment state = scratch.asSlice(0, Linker.Option.captureStateLayout().byteSize());
        MemorySegment map = scratch.asSlice(ARG, fuse_backing_map.sizeof());
        try {
            map.fill((byte) 0);
            fuse_backing_map.fd(map, fd);
            int id = (int) IOCTL.invokeExact(state, deviceFd, FUSE_KERNEL_DEV_IOC_BACKING_OPEN(), map);
            if (id < 0) {
                throw ErrnoException.of((int) ERRNO_VALUE.get(state, 0L));
            }
            return id;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** FUSE_DEV_IOC_BACKING_CLOSE. */
    void closeBacking(int id) {
        MemorySegment scratch = SCRATCH.get();
        MemorySegment state = scratch.asSlice(0, Linker.Option.captureStateLayout().byteSize());
        MemorySegment idArg = scratch.asSlice(ARG, ValueLayout.JAVA_INT.byteSize());
        try {
            idArg.set(ValueLayout.JAVA_INT, 0, id);
            int r = (int) IOCTL.invokeExact(state, deviceFd, FUSE_KERNEL_DEV_IOC_BACKING_CLOSE(), idArg);
            if (r < 0) {
                LOG.warn("closing backing id {} failed: errno {}", id, (int) ERRNO_VALUE.get(state, 0L));
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
