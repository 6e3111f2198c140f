package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For getxattr and listxattr. A request with size 0 asks how big the value is
 * ({@link #size(long)}); otherwise the value itself ({@link #data}) or ERANGE.
 */
public interface ReplyXattr extends Reply {
    void size(long size);

    /** An off-heap buffer of at least {@code size} bytes, owned by this thread and reused. */
    MemorySegment buffer(long size);

    void data(MemorySegment data, long size);

    /** {@inheritDoc} */
    @Override
    ReplyXattr defer();
}
