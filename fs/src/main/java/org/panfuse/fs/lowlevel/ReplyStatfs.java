package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For statfs. */
public interface ReplyStatfs extends Reply {
    /**
     * {@return this reply's own {@code struct statvfs}, to fill in place} It
     * starts zeroed for every statfs request.
     */
    MemorySegment statvfs();

    /**
     * Answers with {@link #statvfs()}.
     *
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void statfs();

    /**
     * Answers with {@code stats}; every field of the answer is set from them.
     *
     * @param stats the filesystem's figures
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void statfs(FsStats stats);

    /** {@inheritDoc} */
    @Override
    ReplyStatfs defer();
}
