package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For readlink. */
public interface ReplyReadlink extends Reply {
    /**
     * {@return a scratch buffer of PATH_MAX + 1 bytes the target may be read
     * into (e.g. with readlinkat, then NUL-terminated)} It is owned by this
     * reply: the reply a worker passes to the operation reuses it for the
     * thread's next request; a deferred reply has its own.
     */
    MemorySegment buffer();

    /**
     * Answers with a NUL-terminated target.
     *
     * @param cString the target, in native memory ({@link #buffer()} or the filesystem's own), read during
     *                this call only
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void target(MemorySegment cString);

    /**
     * Answers with a target given as a String (encoded as UTF-8).
     *
     * @param target the target
     * @throws IllegalArgumentException if it is empty, holds NUL, or is longer than PATH_MAX - 1 bytes
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void target(String target);

    /** {@inheritDoc} */
    @Override
    ReplyReadlink defer();
}
