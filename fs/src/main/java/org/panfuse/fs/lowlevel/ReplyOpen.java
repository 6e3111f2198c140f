package org.panfuse.fs.lowlevel;

/** For open and opendir. */
public interface ReplyOpen extends Reply {
    /** Answers with {@code fi}: its fh and the caching hints set by the filesystem. */
    void opened(FileInfo fi);
}
