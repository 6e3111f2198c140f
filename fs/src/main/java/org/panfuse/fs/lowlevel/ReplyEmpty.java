package org.panfuse.fs.lowlevel;

/** For operations that succeed with no data (unlink, rename, flush, release, fsync, ...). */
public interface ReplyEmpty extends Reply {
    /**
     * Answers success.
     *
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void ok();

    /** {@inheritDoc} */
    @Override
    ReplyEmpty defer();
}
