package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * glibc serves allocations of 128 KiB and more with mmap and gives them back
 * with munmap, until a free of a larger block raises its threshold. libfuse
 * 3.14 allocates a buffer of that size for replies it cannot splice, once per
 * request, so without this every such request pays two system calls and
 * fresh page faults. A fixed threshold above libfuse's buffers keeps them on
 * the heap, reused. Process-wide, set once.
 */
final class MallocTuning {
    /** Above libfuse's largest buffer (1 MiB of data plus its header). */
    static final int MMAP_THRESHOLD = 4 << 20;
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private MallocTuning() {
    }

    /** -Dpanfuse.mallocTuning=false leaves glibc as it is: for measuring what this buys. */
    static void once() {
        if (DONE.compareAndSet(false, true) && !"false".equals(System.getProperty("panfuse.mallocTuning"))) {
            mallopt(M_MMAP_THRESHOLD(), MMAP_THRESHOLD);
        }
    }
}
