package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For readdir: entries are added one by one into a buffer of the size the
 * kernel asked for, then sent with {@link #done()}. Adding an entry counts no
 * lookup. See {@link LowLevelFileSystem} for what the offsets must be.
 */
public interface ReplyDirectory extends Reply {
    /**
     * Adds an entry; {@code nextOffset} is the offset the kernel passes back to
     * continue after it.
     *
     * @param name       the name, a native NUL-terminated C string, read during this call only
     * @param ino        the inode number shown as d_ino (informative: it makes nothing known to the kernel)
     * @param type       the file type bits of st_mode (S_IFDIR, S_IFREG, ...)
     * @param nextOffset where a listing continues after this entry; never 0
     * @return true if the entry was added, false (adding nothing) when the buffer is full
     */
    boolean add(MemorySegment name, long ino, int type, long nextOffset);

    /**
     * Adds an entry named by a String (encoded as UTF-8 into this reply's own
     * buffer: no arena to manage).
     *
     * @param name       the name
     * @param ino        the inode number shown as d_ino (informative: it makes nothing known to the kernel)
     * @param type       the file's type
     * @param nextOffset where a listing continues after this entry; never 0
     * @return true if the entry was added, false (adding nothing) when the buffer is full
     * @throws IllegalArgumentException if the name is empty, longer than the
     *         kernel takes (1024 bytes), or holds '/' or NUL
     */
    boolean add(String name, long ino, FileType type, long nextOffset);

    /**
     * Sends what was added (nothing added means end of directory).
     *
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void done();

    /**
     * {@inheritDoc}
     *
     * <p>A deferred directory reply takes over the entries added so far and
     * has its own buffer of the size the kernel asked for: entries are added
     * to it later, from any thread, and sent with {@link #done()}.
     */
    @Override
    ReplyDirectory defer();
}
