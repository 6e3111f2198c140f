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

    /** st_mode: the type's bits and the permissions. */
    public int mode() {
        return type.bits() | permissions;
    }

    /**
     * A builder for attributes of the given type. Defaults: ino 0, permissions
     * 0, size 0, 1 link (2 for a directory), uid and gid 0, rdev 0, blocks as
     * many 512-byte blocks as the size needs, blockSize 4096, all three times
     * the epoch.
     */
    public static Builder builder(FileType type) {
        return new Builder(type);
    }

    /** A builder that starts from these attributes. */
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

        /** The inode number. */
        public Builder ino(long ino) {
            this.ino = ino;
            return this;
        }

        /** The permission bits (07777), e.g. {@code 0644}. */
        public Builder permissions(int permissions) {
            this.permissions = permissions;
            return this;
        }

        /** The size in bytes. */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /** The number of hard links. */
        public Builder links(long links) {
            this.links = links;
            return this;
        }

        /** The owner's user id. */
        public Builder uid(int uid) {
            this.uid = uid;
            return this;
        }

        /** The owner's group id. */
        public Builder gid(int gid) {
            this.gid = gid;
            return this;
        }

        /** The device number of a device file. */
        public Builder rdev(long rdev) {
            this.rdev = rdev;
            return this;
        }

        /** 512-byte blocks allocated; when never set, as many as the size needs. */
        public Builder blocks(long blocks) {
            this.blocks = blocks;
            return this;
        }

        /** The preferred I/O size. */
        public Builder blockSize(long blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        /** Last access. */
        public Builder accessed(Instant t) {
            this.accessed = t;
            return this;
        }

        /** Last modification of the contents. */
        public Builder modified(Instant t) {
            this.modified = t;
            return this;
        }

        /** Last change of the attributes. */
        public Builder changed(Instant t) {
            this.changed = t;
            return this;
        }

        /** Sets all three times to {@code t}. */
        public Builder times(Instant t) {
            return accessed(t).modified(t).changed(t);
        }

        /** The attributes. */
        public FileAttributes build() {
            long b = blocks >= 0 ? blocks : (size + 511) / 512;
            return new FileAttributes(ino, type, permissions, size, links, uid, gid, rdev, b, blockSize, accessed,
                    modified, changed);
        }
    }
}
