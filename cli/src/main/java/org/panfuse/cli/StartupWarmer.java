package org.panfuse.cli;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_lowlevel_ops;
import org.panfuse.bindings.stat;
import org.panfuse.fs.lowlevel.LibFuse;
import org.panfuse.fs.posix.DescriptorLimit;
import org.panfuse.fs.posix.Libc;

/**
 * Start-up is dominated by the FFM machinery's first use: the first downcall
 * and the first upcall stub each cost a few hundred milliseconds of class
 * spinning. This warms them, and the libc calls a mount makes first, on a
 * second core while the main thread parses the command line, so that the time
 * to a serving mount shrinks. Failures here are not reported: the main thread
 * meets the same causes and reports them properly.
 */
final class StartupWarmer {
    private StartupWarmer() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("panfuse-warmup").start(StartupWarmer::warm);
    }

    private static void warm() {
        try {
            LibFuse.require();
            DescriptorLimit.soft();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment root = arena.allocateFrom("/");
                Libc.fstatat(AT_FDCWD(), root, stat.allocate(arena), 0);
                Libc.close(Libc.openat(AT_FDCWD(), root, O_PATH() | O_CLOEXEC(), 0));
                // One upcall stub of a common shape brings in the upcall machinery.
                fuse_lowlevel_ops.lookup.allocate((req, parent, name) -> { }, arena);
            }
        } catch (Throwable ignored) {
            // reported by the main thread, which takes the same path
        }
    }
}
