package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/** For create: a new entry and an open file handle in one answer. */
public interface ReplyCreate extends Reply {
    /** This reply's own {@code struct stat}: fill it in place. */
    MemorySegment attr();

    /** Answers with the entry and with {@code fi} (its fh and caching hints set by the filesystem). */
    void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi);

    /**
     * Answers with {@code attributes} (their {@code ino} names the new file,
     * generation 0) and with {@code fi}. Every field of the answer's
     * attributes is set from them; {@link #attr()} is overwritten.
     */
    void created(FileAttributes attributes, double attrTimeout, double entryTimeout, FileInfo fi);

    /**
     * As {@link #created(long, long, double, double, FileInfo)}, with
     * {@code backingFd} as the new file's backing file where kernel
     * passthrough is in force (see {@link ReplyOpen#passthrough}).
     */
    void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi, int backingFd);

    /** {@inheritDoc} */
    @Override
    ReplyCreate defer();

    /**
     * The request's file info (open flags in; fh and caching hints out): the
     * same object the operation was called with, or for a deferred reply its
     * own copy, which is the one to fill and answer with.
     */
    FileInfo fileInfo();
}
