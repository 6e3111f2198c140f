package org.panfuse.fs.lowlevel;

/** For lseek (SEEK_DATA, SEEK_HOLE). */
public interface ReplyLseek extends Reply {
    void offset(long offset);

    /** {@inheritDoc} */
    @Override
    ReplyLseek defer();
}
