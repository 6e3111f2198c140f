package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For readdirplus: each entry carries its attributes, and every entry other
 * than "." and ".." that is added counts as a lookup (raises the inode's lookup
 * count), exactly as {@link ReplyEntry#entry} does. See
 * {@link LowLevelFileSystem} for what the offsets must be.
 */
public interface ReplyDirectoryPlus extends Reply {
    /**
     * {@return the {@code struct stat} of the entry about to be added, to fill
     * in place} Zeroed at the start of each request and after each entry added.
     */
    MemorySegment attr();

    /**
     * Adds an entry with {@link #attr()}. When the buffer is full the entry is
     * not added and counts no lookup: a filesystem that counted the lookup in
     * its own books beforehand must take it back.
     *
     * @param name         the name, a native NUL-terminated C string, read during this call only
     * @param ino          the inode number; 0 adds the name without making it known (for "." and "..")
     * @param generation   the inode's generation (0 where inode numbers are never reused)
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @param nextOffset   where a listing continues after this entry; never 0
     * @return true if the entry was added, false (adding nothing) when the buffer is full
     */
    boolean add(MemorySegment name, long ino, long generation, double attrTimeout, double entryTimeout, long nextOffset);

    /**
     * Adds an entry named by a String with {@code attributes} (their
     * {@code ino} names it, generation 0). Like {@link ReplyEntry#entry} it
     * counts as a lookup of that inode, except for "." and "..", which the
     * kernel never looks up.
     *
     * @param name         the name (encoded as UTF-8 into this reply's own buffer)
     * @param attributes   the entry's attributes
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @param nextOffset   where a listing continues after this entry; never 0
     * @return true if the entry was added, false (adding nothing and counting nothing) when the buffer is full
     * @throws IllegalArgumentException as {@link ReplyDirectory#add(String, long, FileType, long)}
     */
    boolean add(String name, FileAttributes attributes, double attrTimeout, double entryTimeout, long nextOffset);

    /**
     * Sends what was added (nothing added means end of directory).
     *
     * @throws IllegalStateException if the request was already answered or deferred
     */
    void done();

    /**
     * {@inheritDoc}
     *
     * <p>As for {@link ReplyDirectory#defer()}: the deferred reply takes over
     * the entries added so far and adds the rest later.
     */
    @Override
    ReplyDirectoryPlus defer();
}
