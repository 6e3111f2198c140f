package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For read: the bytes read, from a file descriptor or from memory. Answering
 * with fewer bytes than asked for means end of file (except for a file
 * opened with direct_io, where it is what read(2) returns).
 */
public interface ReplyData extends Reply {
    /**
     * Answers with {@code size} bytes of the file descriptor {@code fd} from
     * {@code offset}: libfuse splices them to the kernel where it can, so the
     * data never enters the JVM. Fewer bytes at end of file are fine; a
     * failure reading {@code fd} answers its errno.
     *
     * @param fd     an open descriptor, read during this call only (the filesystem keeps and closes it)
     * @param offset where in {@code fd} to read from, in bytes
     * @param size   the most bytes to send
     * @throws IllegalArgumentException if {@code offset} or {@code size} is negative
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void fromFd(int fd, long offset, long size);

    /**
     * {@return an off-heap buffer of at least {@code size} bytes (page-aligned),
     * owned by this reply} The reply a worker passes to the operation reuses
     * it for the thread's next request; a deferred reply has its own. Fill it
     * and answer with {@link #data(MemorySegment, long)}.
     *
     * @param size the bytes needed
     */
    MemorySegment buffer(long size);

    /**
     * Answers with the first {@code size} bytes of {@code data}, copied to the
     * kernel during this call.
     *
     * @param data native memory: {@link #buffer(long)}, or a segment of the filesystem's own
     * @param size the bytes to send
     * @throws IllegalArgumentException if {@code data} is heap memory, or shorter than {@code size} (a
     *                                  zero-length segment, a bare address, is taken as it is)
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void data(MemorySegment data, long size);

    /**
     * Answers with {@code length} bytes of {@code bytes} from {@code offset}
     * (copied once, into {@link #buffer}).
     *
     * @param bytes  the data
     * @param offset where in {@code bytes} it starts
     * @param length the bytes to send
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     * @throws IllegalStateException     if the request was already answered or deferred
     */
    void data(byte[] bytes, int offset, int length);

    /**
     * Answers with all of {@code bytes}.
     *
     * @param bytes the data
     * @throws IllegalStateException if the request was already answered or deferred
     */
    default void data(byte[] bytes) {
        data(bytes, 0, bytes.length);
    }

    /** {@inheritDoc} */
    @Override
    ReplyData defer();
}
