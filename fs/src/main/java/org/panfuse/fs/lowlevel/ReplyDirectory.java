package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For readdir: entries are added one by one into a buffer of the size the
 * kernel asked for, then sent with {@link #done()}.
 */
public interface ReplyDirectory extends Reply {
    /**
     * Adds an entry; {@code nextOffset} is the offset the kernel passes back to
     * continue after it. Returns false, adding nothing, when the buffer is full.
     *
     * @param type the file type bits of st_mode (S_IFDIR, S_IFREG, ...)
     */
    boolean add(MemorySegment name, long ino, int type, long nextOffset);

    /**
     * Adds an entry named by a String (encoded as UTF-8 into this reply's own
     * buffer: no arena to manage). Returns false, adding nothing, when the
     * buffer is full.
     *
     * @throws IllegalArgumentException if the name is empty, longer than the
     *         kernel takes (1024 bytes), or holds '/' or NUL
     */
    boolean add(String name, long ino, FileType type, long nextOffset);

    /** Sends what was added (nothing added means end of directory). */
    void done();

    /** {@inheritDoc} */
    @Override
    ReplyDirectory defer();
}
