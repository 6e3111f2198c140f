package org.panfuse.cli;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.panfuse.bindings.panfuse_h;
import org.panfuse.fs.errno.Errno;

/**
 * Takes a mount off its mountpoint: {@code umount2(2)} as root, else
 * {@code fusermount3 -u} (setuid root, it lets users unmount their own FUSE
 * mounts). Either normally, which the kernel refuses while the mount is in
 * use, or lazily (MNT_DETACH): gone from the tree at once, and finished when
 * the last user lets go.
 */
final class Unmounter {
    /** {@code <sys/mount.h>}: detach now, end the mount when it is no longer busy. */
    static final int MNT_DETACH = 2;
    /** {@code <sys/mount.h>}: do not follow a symlink at the last component: root unmounts what the path names. */
    static final int UMOUNT_NOFOLLOW = 8;

    /** How an unmount went, where it did not fail outright. */
    enum Outcome {
        /** Unmounted (or, lazily, detached). */
        UNMOUNTED,
        /** The kernel refused a normal unmount: something uses the mount. */
        BUSY
    }

    private Unmounter() {
    }

    /** umount2 with errno captured at the call: linked on first use, like the library's libc calls. */
    private static final class Umount2 {
        static final MethodHandle H = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("umount2").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        static final VarHandle ERRNO = Linker.Option.captureStateLayout()
                .varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    /**
     * Unmounts {@code mountpoint} (absolute, as mountinfo names it).
     *
     * @param lazy detach it even while busy (never {@link Outcome#BUSY} then)
     * @throws UserError when the system refuses for another reason (not the user's mount, not a mount any more)
     */
    static Outcome unmount(Path mountpoint, boolean lazy) {
        if (panfuse_h.geteuid() == 0) {
            int errno = umount2(mountpoint, (lazy ? MNT_DETACH : 0) | UMOUNT_NOFOLLOW);
            if (errno == 0) {
                return Outcome.UNMOUNTED;
            }
            if (errno == panfuse_h.EBUSY()) {
                return Outcome.BUSY;
            }
            if (errno != panfuse_h.EPERM()) {
                throw new UserError("cannot unmount " + mountpoint + ": " + Errno.describe(errno));
            }
            // Root without CAP_SYS_ADMIN over this mount namespace (a container): fusermount3 may still.
        }
        return fusermount(mountpoint, lazy);
    }

    /** Returns 0, or the errno of a failed umount2. */
    private static int umount2(Path mountpoint, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int result = (int) Umount2.H.invokeExact(state, arena.allocateFrom(mountpoint.toString()), flags);
            return result == 0 ? 0 : (int) Umount2.ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("umount2 could not be called", t);
        }
    }

    private static Outcome fusermount(Path mountpoint, boolean lazy) {
        ProcessBuilder pb = lazy ? new ProcessBuilder("fusermount3", "-u", "-z", "--", mountpoint.toString())
                : new ProcessBuilder("fusermount3", "-u", "--", mountpoint.toString());
        String out;
        int exit;
        try {
            Process p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            exit = p.waitFor();
        } catch (IOException e) {
            throw new UserError("cannot unmount " + mountpoint + " without root: fusermount3 cannot be run ("
                    + e.getMessage() + "; apt-get install fuse3)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while unmounting " + mountpoint);
        }
        if (exit == 0) {
            return Outcome.UNMOUNTED;
        }
        if (out.contains("Device or resource busy")) {
            return Outcome.BUSY;
        }
        // fusermount3 says why in one line of its own ("fusermount3: entry for ... not found in /etc/mtab").
        String why = out.isEmpty() ? "fusermount3 exited " + exit : out.lines().reduce((a, b) -> b).orElseThrow();
        throw new UserError("cannot unmount " + mountpoint + ": " + why.replaceFirst("^fusermount3: ", ""));
    }
}
