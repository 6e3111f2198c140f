package org.panfuse.fs.posix;

import static org.panfuse.bindings.panfuse_h.RLIMIT_NOFILE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.rlimit;

/** The process's RLIMIT_NOFILE. */
public final class DescriptorLimit {
    private DescriptorLimit() {
    }

    public static long soft() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = rlimit.allocate(arena);
            Libc.getrlimit(RLIMIT_NOFILE(), r);
            return rlimit.rlim_cur(r);
        }
    }

    /** Raises the soft limit to the hard limit and returns the new soft limit. */
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
