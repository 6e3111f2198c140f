package org.panfuse.fs.lowlevel;

/** For operations that succeed with no data (unlink, rename, flush, release, fsync, ...). */
public interface ReplyEmpty extends Reply {
    void ok();

    /** {@inheritDoc} */
    @Override
    ReplyEmpty defer();
}
