package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For statfs. */
public interface ReplyStatfs extends Reply {
    /** This reply's own {@code struct statvfs}: fill it in place. */
    MemorySegment statvfs();

    /** Answers with {@link #statvfs()}. */
    void statfs();

    /** Answers with {@code stats}; every field of the answer is set from them. */
    void statfs(FsStats stats);

    /** {@inheritDoc} */
    @Override
    ReplyStatfs defer();
}
