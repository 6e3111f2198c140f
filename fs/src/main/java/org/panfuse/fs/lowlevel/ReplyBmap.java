package org.panfuse.fs.lowlevel;

/** For bmap (block devices only). */
public interface ReplyBmap extends Reply {
    /**
     * Answers with the device block that holds the file's block.
     *
     * @param index the block's index on the device, in units of the request's block size
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void block(long index);

    /** {@inheritDoc} */
    @Override
    ReplyBmap defer();
}
