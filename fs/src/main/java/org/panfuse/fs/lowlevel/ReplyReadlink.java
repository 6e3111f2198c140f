package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For readlink. */
public interface ReplyReadlink extends Reply {
    /** A scratch buffer of at least PATH_MAX + 1 bytes the target may be read into. */
    MemorySegment buffer();

    /** Answers with a NUL-terminated target. */
    void target(MemorySegment cString);

    /**
     * Answers with a target given as a String (encoded as UTF-8).
     *
     * @throws IllegalArgumentException if it is empty, holds NUL, or is longer than PATH_MAX - 1 bytes
     */
    void target(String target);

    /** {@inheritDoc} */
    @Override
    ReplyReadlink defer();
}
