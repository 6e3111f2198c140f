package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For operations that make a name known to the kernel (lookup, mkdir, mknod,
 * symlink, link). A successful answer raises the inode's lookup count by one;
 * {@code forget} lowers it later.
 */
public interface ReplyEntry extends Reply {
    /** This reply's own {@code struct stat}: fill it in place to avoid a copy. */
    MemorySegment attr();

    /** Answers with the inode, its generation and {@link #attr()}, valid for the given seconds. */
    void entry(long ino, long generation, double attrTimeout, double entryTimeout);

    /**
     * Answers with {@code attributes}, whose {@link FileAttributes#ino() ino}
     * names the entry (it must not be 0), generation 0. Every field of the
     * answer's attributes is set from them; {@link #attr()} is overwritten.
     */
    void entry(FileAttributes attributes, double attrTimeout, double entryTimeout);

    /** A negative entry: the name does not exist, and the kernel may cache that for the given seconds. */
    void noEntry(double entryTimeout);

    /** {@inheritDoc} */
    @Override
    ReplyEntry defer();
}
