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

    /** Answers with the first {@code size} bytes of {@code data}. */
    void data(MemorySegment data, long size);

    /** {@inheritDoc} */
    @Override
    ReplyData defer();
}
