package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For getlk. */
public interface ReplyLock extends Reply {
    /** Answers with a {@code struct flock} describing the conflicting lock, or F_UNLCK. */
    void lock(MemorySegment flock);

    /** {@inheritDoc} */
    @Override
    ReplyLock defer();
}
