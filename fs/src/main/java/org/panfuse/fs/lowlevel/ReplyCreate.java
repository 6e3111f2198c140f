package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * For create: a new entry and an open file handle in one answer. A successful
 * answer counts a lookup of the inode (see {@link ReplyEntry}) and an open,
 * which one {@link LowLevelFileSystem#release release} ends. If the answer
 * reaches no caller (interrupted), the library calls release itself.
 */
public interface ReplyCreate extends Reply {
    /**
     * {@return this reply's own {@code struct stat}, to fill in place with the
     * new file's attributes} It is zeroed at the start of each request and
     * belongs to this reply (a deferred reply has its own copy).
     */
    MemorySegment attr();

    /**
     * Answers with the entry ({@link #attr()}) and with {@code fi} (its fh and
     * caching hints set by the filesystem).
     *
     * @param ino          the new file's inode number
     * @param generation   the inode's generation: with {@code ino}, unique over the filesystem's life
     *                     (0 where inode numbers are never reused)
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @param fi           the request's file info: the one create was called with, or {@link #fileInfo()}
     *                     of a deferred reply
     * @throws IllegalArgumentException if a deferred reply is given another {@link FileInfo} than its own
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi);

    /**
     * Answers with {@code attributes} (their {@code ino} names the new file,
     * generation 0) and with {@code fi}. Every field of the answer's
     * attributes is set from them; {@link #attr()} is overwritten.
     *
     * @param attributes   the new file's attributes
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @param fi           the request's file info, as for {@link #created(long, long, double, double, FileInfo)}
     * @throws IllegalArgumentException if a deferred reply is given another {@link FileInfo} than its own
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void created(FileAttributes attributes, double attrTimeout, double entryTimeout, FileInfo fi);

    /**
     * As {@link #created(long, long, double, double, FileInfo)}, with
     * {@code backingFd} as the new file's backing file where kernel
     * passthrough is in force (see {@link ReplyOpen#passthrough}, whose rules
     * apply; where it is not, this is exactly the answer without it).
     *
     * @param ino          the new file's inode number
     * @param generation   the inode's generation (0 where inode numbers are never reused)
     * @param attrTimeout  how long the kernel may keep the attributes, in seconds
     * @param entryTimeout how long the kernel may keep the name, in seconds
     * @param fi           the request's file info, as for {@link #created(long, long, double, double, FileInfo)}
     * @param backingFd    a descriptor of the regular file that backs it, only read during this call
     * @throws IllegalArgumentException if a deferred reply is given another {@link FileInfo} than its own
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi, int backingFd);

    /** {@inheritDoc} */
    @Override
    ReplyCreate defer();

    /**
     * {@return the request's file info (open flags in; fh and caching hints
     * out)} The same object the operation was called with, or for a deferred
     * reply its own copy, which is the one to fill and answer with.
     */
    FileInfo fileInfo();
}
