package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For readdirplus: each entry carries its attributes, and every entry other
 * than "." and ".." that is added counts as a lookup (raises the inode's lookup
 * count), exactly as {@link ReplyEntry#entry} does.
 */
public interface ReplyDirectoryPlus extends Reply {
    /** The {@code struct stat} of the entry about to be added: fill it in place. */
    MemorySegment attr();

    /**
     * Adds an entry with {@link #attr()}; returns false, adding nothing, when
     * the buffer is full (then the filesystem must undo the lookup it counted).
     * An {@code ino} of 0 adds the name without making it known (for "." and "..").
     */
    boolean add(MemorySegment name, long ino, long generation, double attrTimeout, double entryTimeout, long nextOffset);

    /**
     * Adds an entry named by a String with {@code attributes} (their
     * {@code ino} names it, generation 0). Like {@link ReplyEntry#entry} it
     * counts as a lookup of that inode, except for "." and "..", which the
     * kernel never looks up. Returns false, adding nothing and counting
     * nothing, when the buffer is full.
     *
     * @throws IllegalArgumentException as {@link ReplyDirectory#add(String, long, FileType, long)}
     */
    boolean add(String name, FileAttributes attributes, double attrTimeout, double entryTimeout, long nextOffset);

    /** Sends what was added (nothing added means end of directory). */
    void done();

    /** {@inheritDoc} */
    @Override
    ReplyDirectoryPlus defer();
}
