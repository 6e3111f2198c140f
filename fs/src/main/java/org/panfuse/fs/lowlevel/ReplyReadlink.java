package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For readlink. */
public interface ReplyReadlink extends Reply {
    /** A scratch buffer of at least PATH_MAX + 1 bytes the target may be read into. */
    MemorySegment buffer();

    /** Answers with a NUL-terminated target. */
    void target(MemorySegment cString);

    /** {@inheritDoc} */
    @Override
    ReplyReadlink defer();
}
