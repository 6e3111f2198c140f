package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For getxattr and listxattr. A request with size 0 asks how big the value is
 * ({@link #size(long)}); otherwise the value itself ({@link #data}) or ERANGE
 * when it does not fit the request's size.
 */
public interface ReplyXattr extends Reply {
    /**
     * Answers a size-0 request with the size the value (or the list of names) needs.
     *
     * @param size the value's length in bytes
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void size(long size);

    /**
     * {@return an off-heap buffer of at least {@code size} bytes, owned by this
     * reply} The reply a worker passes to the operation reuses it for the
     * thread's next request; a deferred reply has its own.
     *
     * @param size the bytes needed
     */
    MemorySegment buffer(long size);

    /**
     * Answers with the first {@code size} bytes of {@code data}, copied to the
     * kernel during this call.
     *
     * @param data native memory: {@link #buffer(long)}, or a segment of the filesystem's own
     * @param size the bytes to send, at most the request's size
     * @throws IllegalArgumentException if {@code data} is heap memory, or shorter than {@code size}
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void data(MemorySegment data, long size);

    /**
     * Answers with {@code length} bytes of {@code bytes} from {@code offset}
     * (copied once, into {@link #buffer}).
     *
     * @param bytes  the value
     * @param offset where in {@code bytes} it starts
     * @param length the bytes to send, at most the request's size
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     * @throws IllegalStateException     if the request was already answered or deferred
     */
    void data(byte[] bytes, int offset, int length);

    /**
     * Answers with all of {@code bytes}.
     *
     * @param bytes the value
     * @throws IllegalStateException if the request was already answered or deferred
     */
    default void data(byte[] bytes) {
        data(bytes, 0, bytes.length);
    }

    /** {@inheritDoc} */
    @Override
    ReplyXattr defer();
}
