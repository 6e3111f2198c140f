package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For operations that make a name known to the kernel (lookup, mkdir, mknod,
 * symlink, link). A successful answer raises the inode's lookup count by one;
 * {@code forget} lowers it later.
 */
public interface ReplyEntry extends Reply {
    /**
     * {@return this reply's own {@code struct stat}: fill it in place to avoid a
     * copy} It is zeroed at the start of each request and belongs to this
     * reply (a deferred reply has its own copy).
     */
    MemorySegment attr();

    /**
     * Answers with the inode, its generation and {@link #attr()}.
     *
     * @param ino          the inode number the name leads to; not 0 (that is {@link #noEntry})
     * @param generation   the inode's generation: with {@code ino}, unique over the filesystem's life
     *                     (0 where inode numbers are never reused)
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @throws IllegalArgumentException if {@code ino} is 0
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void entry(long ino, long generation, double attrTimeout, double entryTimeout);

    /**
     * Answers with {@code attributes}, whose {@link FileAttributes#ino() ino}
     * names the entry (it must not be 0), generation 0. Every field of the
     * answer's attributes is set from them; {@link #attr()} is overwritten.
     *
     * @param attributes   the entry's attributes
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @throws IllegalArgumentException if the attributes' {@code ino} is 0
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void entry(FileAttributes attributes, double attrTimeout, double entryTimeout);

    /**
     * A negative entry: the name does not exist, and the kernel may cache that
     * (with a timeout of 0 this is ENOENT). Counts no lookup.
     *
     * @param entryTimeout how long the kernel may remember that the name does not exist, in seconds
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void noEntry(double entryTimeout);

    /** {@inheritDoc} */
    @Override
    ReplyEntry defer();
}
