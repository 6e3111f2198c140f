package org.panfuse.fs.lowlevel;

/** For open and opendir. */
public interface ReplyOpen extends Reply {
    /** Answers with {@code fi}: its fh and the caching hints set by the filesystem. */
    void opened(FileInfo fi);

    /** {@inheritDoc} */
    @Override
    ReplyOpen defer();

    /**
     * The request's file info (open flags in; fh and caching hints out): the
     * same object the operation was called with, or for a deferred reply its
     * own copy, which is the one to fill and answer with.
     */
    FileInfo fileInfo();
}
