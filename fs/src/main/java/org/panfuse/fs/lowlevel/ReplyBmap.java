package org.panfuse.fs.lowlevel;

/** For bmap (block devices only). */
public interface ReplyBmap extends Reply {
    void block(long index);

    /** {@inheritDoc} */
    @Override
    ReplyBmap defer();
}
