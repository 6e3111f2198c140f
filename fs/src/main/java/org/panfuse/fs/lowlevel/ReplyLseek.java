package org.panfuse.fs.lowlevel;

/** For lseek (SEEK_DATA, SEEK_HOLE). */
public interface ReplyLseek extends Reply {
    /**
     * Answers with the offset found.
     *
     * @param offset the start of the data or hole found, in bytes from the start of the file
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void offset(long offset);

    /** {@inheritDoc} */
    @Override
    ReplyLseek defer();
}
