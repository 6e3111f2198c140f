package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.Objects;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;

/**
 * A file's attributes as the kernel sees them ({@code struct stat}), typed:
 * the answer to getattr, setattr, lookup, create and readdirplus without
 * touching raw memory. Writing them into a reply sets every field of the
 * reply's {@code struct stat}, so nothing of an earlier request can reach this
 * one's answer.
 *
 * <p>Build with {@link #builder(FileType)}; everything not set has the
 * defaults listed there. The raw {@code attr()} segment of each reply stays
 * for filesystems that fill it in place without allocating.
 *
 * @param ino         the inode number (st_ino); the kernel's identity of the file in replies that name one
 * @param type        the file type (the S_IFMT bits of st_mode)
 * @param permissions the permission bits of st_mode (07777: rwx for user, group, others, and setuid,
 *                    setgid, sticky)
 * @param size        size in bytes (st_size); for a symlink the length of its target
 * @param links       the number of hard links (st_nlink)
 * @param uid         the owner's user id
 * @param gid         the owner's group id
 * @param rdev        the device number of a character or block device, else 0
 * @param blocks      512-byte blocks allocated (st_blocks)
 * @param blockSize   the preferred I/O size (st_blksize)
 * @param accessed    last access (st_atim)
 * @param modified    last modification of the contents (st_mtim)
 * @param changed     last change of the attributes (st_ctim)
 */
public record FileAttributes(long ino, FileType type, int permissions, long size, long links, int uid, int gid,
        long rdev, long blocks, long blockSize, Instant accessed, Instant modified, Instant changed) {

    /** Checks the values. */
    public FileAttributes {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accessed, "accessed");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(changed, "changed");
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("permissions take the bits 07777 only, not 0"
                    + Integer.toOctalString(permissions) + " (the type is separate)");
        }
        if (size < 0 || links < 0 || blocks < 0 || blockSize < 0) {
            throw new IllegalArgumentException("size, links, blocks and blockSize cannot be negative");
        }
    }

    /** {@return st_mode: the type's bits and the permissions} */
    public int mode() {
        return type.bits() | permissions;
    }

    /**
     * A builder for attributes of the given type. Defaults: ino 0, permissions
     * 0, size 0, 1 link (2 for a directory), uid and gid 0, rdev 0, blocks as
     * many 512-byte blocks as the size needs, blockSize 4096, all three times
     * the epoch.
     *
     * @param type the file's type, which a builder cannot change
     * @return a new builder
     */
    public static Builder builder(FileType type) {
        return new Builder(type);
    }

    /**
     * {@return a builder that starts from these attributes} Blocks included,
     * as they are: set them again, or they no longer follow a new size.
     */
    public Builder toBuilder() {
        Builder b = new Builder(type).ino(ino).permissions(permissions).size(size).links(links).uid(uid).gid(gid)
                .rdev(rdev).blockSize(blockSize).accessed(accessed).modified(modified).changed(changed);
        b.blocks = blocks;
        return b;
    }

    /** Writes every field of {@code struct stat} at {@code stat}: these values, and zero for the rest. */
    void writeTo(MemorySegment stat) {
        stat.fill((byte) 0);
        org.panfuse.bindings.stat.st_ino(stat, ino);
        org.panfuse.bindings.stat.st_mode(stat, mode());
        org.panfuse.bindings.stat.st_nlink(stat, links);
        org.panfuse.bindings.stat.st_uid(stat, uid);
        org.panfuse.bindings.stat.st_gid(stat, gid);
        org.panfuse.bindings.stat.st_rdev(stat, rdev);
        org.panfuse.bindings.stat.st_size(stat, size);
        org.panfuse.bindings.stat.st_blksize(stat, blockSize);
        org.panfuse.bindings.stat.st_blocks(stat, blocks);
        writeTime(org.panfuse.bindings.stat.st_atim(stat), accessed);
        writeTime(org.panfuse.bindings.stat.st_mtim(stat), modified);
        writeTime(org.panfuse.bindings.stat.st_ctim(stat), changed);
    }

    private static void writeTime(MemorySegment ts, Instant t) {
        timespec.tv_sec(ts, t.getEpochSecond());
        timespec.tv_nsec(ts, t.getNano());
    }

    /**
     * Reads attributes from a {@code struct stat} (one the filesystem filled
     * itself, e.g. with {@code fstat}).
     *
     * @param statStruct a {@code struct stat}, read during this call only
     * @return its attributes
     * @throws IllegalArgumentException if the segment is smaller than a {@code struct stat}, or its mode
     *                                  names no file type
     */
    public static FileAttributes of(MemorySegment statStruct) {
        MemorySegment s = statStruct;
        if (s.byteSize() < stat.sizeof()) {
            throw new IllegalArgumentException("a struct stat is " + stat.sizeof() + " bytes, not " + s.byteSize());
        }
        int mode = stat.st_mode(s);
        return new FileAttributes(stat.st_ino(s), FileType.of(mode), mode & 07777, stat.st_size(s),
                stat.st_nlink(s), stat.st_uid(s), stat.st_gid(s), stat.st_rdev(s), stat.st_blocks(s),
                stat.st_blksize(s), readTime(stat.st_atim(s)), readTime(stat.st_mtim(s)), readTime(stat.st_ctim(s)));
    }

    private static Instant readTime(MemorySegment ts) {
        return Instant.ofEpochSecond(timespec.tv_sec(ts), timespec.tv_nsec(ts));
    }

    /** Builds {@link FileAttributes}; see {@link FileAttributes#builder(FileType)} for the defaults. */
    public static final class Builder {
        private final FileType type;
        private long ino;
        private int permissions;
        private long size;
        private long links;
        private int uid;
        private int gid;
        private long rdev;
        private long blocks = -1;
        private long blockSize = 4096;
        private Instant accessed = Instant.EPOCH;
        private Instant modified = Instant.EPOCH;
        private Instant changed = Instant.EPOCH;

        private Builder(FileType type) {
            this.type = Objects.requireNonNull(type, "type");
            this.links = type == FileType.DIRECTORY ? 2 : 1;
        }

        /**
         * Sets the inode number.
         *
         * @param ino the inode number (st_ino)
         * @return this builder
         */
        public Builder ino(long ino) {
            this.ino = ino;
            return this;
        }

        /**
         * Sets the permission bits.
         *
         * @param permissions the bits 07777, e.g. {@code 0644} (checked by {@link #build()})
         * @return this builder
         */
        public Builder permissions(int permissions) {
            this.permissions = permissions;
            return this;
        }

        /**
         * Sets the size.
         *
         * @param size the size in bytes
         * @return this builder
         */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /**
         * Sets the number of hard links.
         *
         * @param links the number of links
         * @return this builder
         */
        public Builder links(long links) {
            this.links = links;
            return this;
        }

        /**
         * Sets the owner.
         *
         * @param uid the owner's user id
         * @return this builder
         */
        public Builder uid(int uid) {
            this.uid = uid;
            return this;
        }

        /**
         * Sets the group.
         *
         * @param gid the owner's group id
         * @return this builder
         */
        public Builder gid(int gid) {
            this.gid = gid;
            return this;
        }

        /**
         * Sets the device number of a device file.
         *
         * @param rdev the device number (st_rdev)
         * @return this builder
         */
        public Builder rdev(long rdev) {
            this.rdev = rdev;
            return this;
        }

        /**
         * Sets the 512-byte blocks allocated; when never set, as many as the size needs.
         *
         * @param blocks the number of 512-byte blocks
         * @return this builder
         */
        public Builder blocks(long blocks) {
            this.blocks = blocks;
            return this;
        }

        /**
         * Sets the preferred I/O size.
         *
         * @param blockSize the size in bytes (st_blksize)
         * @return this builder
         */
        public Builder blockSize(long blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        /**
         * Sets the time of last access.
         *
         * @param t the time
         * @return this builder
         */
        public Builder accessed(Instant t) {
            this.accessed = t;
            return this;
        }

        /**
         * Sets the time of last modification of the contents.
         *
         * @param t the time
         * @return this builder
         */
        public Builder modified(Instant t) {
            this.modified = t;
            return this;
        }

        /**
         * Sets the time of last change of the attributes.
         *
         * @param t the time
         * @return this builder
         */
        public Builder changed(Instant t) {
            this.changed = t;
            return this;
        }

        /**
         * Sets all three times.
         *
         * @param t the time
         * @return this builder
         */
        public Builder times(Instant t) {
            return accessed(t).modified(t).changed(t);
        }

        /**
         * {@return the attributes}
         *
         * @throws IllegalArgumentException if the permissions hold more than 07777, or a count is negative
         */
        public FileAttributes build() {
            long b = blocks >= 0 ? blocks : (size + 511) / 512;
            return new FileAttributes(ino, type, permissions, size, links, uid, gid, rdev, b, blockSize, accessed,
                    modified, changed);
        }
    }
}
