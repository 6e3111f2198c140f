package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For read. */
public interface ReplyData extends Reply {
    /**
     * Answers with {@code size} bytes of the file descriptor {@code fd} from
     * {@code offset}: libfuse splices them to the kernel where it can, so the
     * data never enters the JVM. Fewer bytes at end of file are fine.
     */
    void fromFd(int fd, long offset, long size);

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
    ReplyData defer();
}
