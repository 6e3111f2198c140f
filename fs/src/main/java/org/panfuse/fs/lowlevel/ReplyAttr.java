package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For getattr and setattr. */
public interface ReplyAttr extends Reply {
    /** This reply's own {@code struct stat}: fill it in place. */
    MemorySegment attr();

    /** Answers with {@link #attr()}, valid for the given seconds. */
    void attr(double timeout);

    /** {@inheritDoc} */
    @Override
    ReplyAttr defer();
}
