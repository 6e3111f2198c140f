package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For getxattr and listxattr. A request with size 0 asks how big the value is
 * ({@link #size(long)}); otherwise the value itself ({@link #data}) or ERANGE.
 */
public interface ReplyXattr extends Reply {
    /** Answers a size-0 request with the size the value (or the list of names) needs. */
    void size(long size);

    /** An off-heap buffer of at least {@code size} bytes, owned by this thread and reused. */
    MemorySegment buffer(long size);

    /** Answers with the first {@code size} bytes of {@code data}, which must be native memory. */
    void data(MemorySegment data, long size);

    /** Answers with {@code length} bytes of {@code bytes} from {@code offset} (copied once, into {@link #buffer}). */
    void data(byte[] bytes, int offset, int length);

    /** Answers with all of {@code bytes}. */
    default void data(byte[] bytes) {
        data(bytes, 0, bytes.length);
    }

    /** {@inheritDoc} */
    @Override
    ReplyXattr defer();
}
