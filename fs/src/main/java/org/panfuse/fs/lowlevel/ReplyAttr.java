package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For getattr and setattr: the file's attributes, and how long the kernel may
 * keep them.
 */
public interface ReplyAttr extends Reply {
    /**
     * {@return this reply's own {@code struct stat}, to fill in place} It is
     * zeroed at the start of each request, belongs to this reply (a deferred
     * reply has its own copy), and is sent by {@link #attr(double)}.
     */
    MemorySegment attr();

    /**
     * Answers with {@link #attr()}.
     *
     * @param timeout how long the kernel may keep the attributes, in seconds (0: ask every time)
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void attr(double timeout);

    /**
     * Answers with {@code attributes}. Every field of the answer is set from
     * them; {@link #attr()} is overwritten.
     *
     * @param attributes the file's attributes; their {@code ino} should be the inode asked about
     * @param timeout    how long the kernel may keep them, in seconds (0: ask every time)
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void attr(FileAttributes attributes, double timeout);

    /** {@inheritDoc} */
    @Override
    ReplyAttr defer();
}
