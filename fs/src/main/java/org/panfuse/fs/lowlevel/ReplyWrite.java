package org.panfuse.fs.lowlevel;

/** For write and copy_file_range. */
public interface ReplyWrite extends Reply {
    /**
     * Answers with the number of bytes written (or copied); fewer than asked
     * for is a short write.
     *
     * @param count the bytes written, 0 or more
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void written(long count);

    /** {@inheritDoc} */
    @Override
    ReplyWrite defer();
}
