package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For statfs. */
public interface ReplyStatfs extends Reply {
    /** This reply's own {@code struct statvfs}: fill it in place. */
    MemorySegment statvfs();

    /** Answers with {@link #statvfs()}. */
    void statfs();

    /** {@inheritDoc} */
    @Override
    ReplyStatfs defer();
}
