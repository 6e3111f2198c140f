package org.panfuse.fs.lowlevel;

/** For write and copy_file_range. */
public interface ReplyWrite extends Reply {
    void written(long count);

    /** {@inheritDoc} */
    @Override
    ReplyWrite defer();
}
