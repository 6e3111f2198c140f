package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For getlk. */
public interface ReplyLock extends Reply {
    /**
     * Answers with a {@code struct flock} describing the conflicting lock, or
     * one of type F_UNLCK when there is none.
     *
     * @param flock a native {@code struct flock}, read during this call only (answering within the
     *              operation, the request's own may be filled in and handed back)
     * @throws IllegalArgumentException if {@code flock} is heap memory, or shorter than a {@code struct flock}
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void lock(MemorySegment flock);

    /** {@inheritDoc} */
    @Override
    ReplyLock defer();
}
