package org.panfuse.fs.lowlevel;

/**
 * For open and opendir. A successful answer is an open that one
 * {@link LowLevelFileSystem#release release} (or
 * {@link LowLevelFileSystem#releasedir releasedir}) ends. If the answer
 * reaches no caller (interrupted), the library calls release itself.
 */
public interface ReplyOpen extends Reply {
    /**
     * Answers with {@code fi}: its fh and the caching hints set by the filesystem.
     *
     * @param fi the request's file info: the one the operation was called with, or {@link #fileInfo()} of a
     *           deferred reply
     * @throws IllegalArgumentException if a deferred reply is given another {@link FileInfo} than its own
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void opened(FileInfo fi);

    /**
     * Answers with {@code fi} and, where kernel passthrough is in force on
     * this mount ({@link FuseMount#kernelPassthrough()}), names
     * {@code backingFd} (a regular file open with the access the open asked
     * for) as the file's backing file: the kernel then reads, writes and maps
     * it itself, and read/write never reach the filesystem for this open.
     * The library keeps one backing id per inode, shared by its open files and
     * freed at the last release; {@code backingFd} is only read during this
     * call (the filesystem keeps and closes its own descriptor). KEEP_CACHE is
     * dropped (the kernel refuses it with passthrough). Where passthrough is
     * not in force, or the kernel will not take this inode's file (e.g. too
     * deep a stack of filesystems), this is exactly {@link #opened}: so every
     * open of one inode goes one way. Only for open, not opendir.
     *
     * @param fi        the request's file info, as for {@link #opened}
     * @param backingFd a descriptor of the regular file that backs this one
     * @throws IllegalArgumentException if a deferred reply is given another {@link FileInfo} than its own
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void passthrough(FileInfo fi, int backingFd);

    /** {@inheritDoc} */
    @Override
    ReplyOpen defer();

    /**
     * {@return the request's file info (open flags in; fh and caching hints
     * out)} The same object the operation was called with, or for a deferred
     * reply its own copy, which is the one to fill and answer with.
     */
    FileInfo fileInfo();
}
