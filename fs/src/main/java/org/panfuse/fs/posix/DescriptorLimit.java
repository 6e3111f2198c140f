package org.panfuse.fs.posix;

import static org.panfuse.bindings.panfuse_h.RLIMIT_NOFILE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.rlimit;

/** The process's RLIMIT_NOFILE: how many file descriptors it may have open. */
public final class DescriptorLimit {
    private DescriptorLimit() {
    }

    /**
     * {@return the soft limit in force}
     *
     * @throws org.panfuse.fs.errno.ErrnoException if getrlimit fails
     */
    public static long soft() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = rlimit.allocate(arena);
            Libc.getrlimit(RLIMIT_NOFILE(), r);
            return rlimit.rlim_cur(r);
        }
    }

    /**
     * Raises the soft limit to the hard limit (for the whole process).
     *
     * @return the new soft limit
     * @throws org.panfuse.fs.errno.ErrnoException if getrlimit or setrlimit fails
     */
    public static long raiseToHard() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = rlimit.allocate(arena);
            Libc.getrlimit(RLIMIT_NOFILE(), r);
            if (rlimit.rlim_cur(r) != rlimit.rlim_max(r)) {
                rlimit.rlim_cur(r, rlimit.rlim_max(r));
                Libc.setrlimit(RLIMIT_NOFILE(), r);
            }
            return rlimit.rlim_cur(r);
        }
    }
}
