package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For getattr and setattr. */
public interface ReplyAttr extends Reply {
    /** This reply's own {@code struct stat}: fill it in place. */
    MemorySegment attr();

    /** Answers with {@link #attr()}, valid for the given seconds. */
    void attr(double timeout);

    /**
     * Answers with {@code attributes}, valid for the given seconds. Every
     * field of the answer is set from them; {@link #attr()} is overwritten.
     */
    void attr(FileAttributes attributes, double timeout);

    /** {@inheritDoc} */
    @Override
    ReplyAttr defer();
}
