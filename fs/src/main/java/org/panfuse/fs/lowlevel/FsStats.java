package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.statvfs;

/**
 * A filesystem's figures for {@code statfs} ({@code struct statvfs}), typed;
 * writing them into the reply sets every field. Block counts are in units of
 * {@code fragmentSize}, as {@code df} reads them.
 *
 * @param blockSize       the preferred I/O size (f_bsize)
 * @param fragmentSize    the unit of the block counts (f_frsize)
 * @param blocks          the size of the filesystem, in fragments
 * @param blocksFree      free fragments
 * @param blocksAvailable free fragments an unprivileged user may use
 * @param files           inodes
 * @param filesFree       free inodes
 * @param filesAvailable  free inodes an unprivileged user may use
 * @param maxNameLength   the longest name, in bytes (f_namemax)
 */
public record FsStats(long blockSize, long fragmentSize, long blocks, long blocksFree, long blocksAvailable,
        long files, long filesFree, long filesAvailable, long maxNameLength) {

    /** Checks the values. */
    public FsStats {
        if (blockSize < 0 || fragmentSize < 0 || blocks < 0 || blocksFree < 0 || blocksAvailable < 0 || files < 0
                || filesFree < 0 || filesAvailable < 0 || maxNameLength < 0) {
            throw new IllegalArgumentException("statfs figures cannot be negative");
        }
    }

    /**
     * The figures of a filesystem with no space to speak of (what libfuse
     * answers when {@code statfs} is not implemented): block size 512, name
     * length 255, everything else 0.
     *
     * @return the figures of an empty filesystem
     */
    public static FsStats empty() {
        return new FsStats(512, 512, 0, 0, 0, 0, 0, 0, 255);
    }

    /** Writes every field of {@code struct statvfs} at {@code s}: these values, and zero for the rest. */
    void writeTo(MemorySegment s) {
        s.fill((byte) 0);
        statvfs.f_bsize(s, blockSize);
        statvfs.f_frsize(s, fragmentSize);
        statvfs.f_blocks(s, blocks);
        statvfs.f_bfree(s, blocksFree);
        statvfs.f_bavail(s, blocksAvailable);
        statvfs.f_files(s, files);
        statvfs.f_ffree(s, filesFree);
        statvfs.f_favail(s, filesAvailable);
        statvfs.f_namemax(s, maxNameLength);
    }

    /**
     * A builder, for naming the figures instead of passing nine in order.
     * Defaults: block and fragment size 4096, name length 255, everything else 0.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link FsStats}; see {@link FsStats#builder()} for the defaults. */
    public static final class Builder {
        private long blockSize = 4096;
        private long fragmentSize = 4096;
        private long blocks;
        private long blocksFree;
        private long blocksAvailable;
        private long files;
        private long filesFree;
        private long filesAvailable;
        private long maxNameLength = 255;

        private Builder() {
        }

        /**
         * Sets the preferred I/O size, and the unit of the block counts (f_bsize and f_frsize).
         *
         * @param bytes the block size in bytes
         * @return this builder
         */
        public Builder blockSize(long bytes) {
            this.blockSize = bytes;
            this.fragmentSize = bytes;
            return this;
        }

        /**
         * Sets the size of the filesystem.
         *
         * @param n the size in blocks
         * @return this builder
         */
        public Builder blocks(long n) {
            this.blocks = n;
            return this;
        }

        /**
         * Sets the free blocks.
         *
         * @param free      free blocks in all
         * @param available free blocks an unprivileged user may use
         * @return this builder
         */
        public Builder blocksFree(long free, long available) {
            this.blocksFree = free;
            this.blocksAvailable = available;
            return this;
        }

        /**
         * Sets the number of inodes.
         *
         * @param n the inodes
         * @return this builder
         */
        public Builder files(long n) {
            this.files = n;
            return this;
        }

        /**
         * Sets the free inodes.
         *
         * @param free      free inodes in all
         * @param available free inodes an unprivileged user may use
         * @return this builder
         */
        public Builder filesFree(long free, long available) {
            this.filesFree = free;
            this.filesAvailable = available;
            return this;
        }

        /**
         * Sets the longest name.
         *
         * @param bytes the longest name, in bytes (f_namemax)
         * @return this builder
         */
        public Builder maxNameLength(long bytes) {
            this.maxNameLength = bytes;
            return this;
        }

        /**
         * {@return the figures}
         *
         * @throws IllegalArgumentException if a figure is negative
         */
        public FsStats build() {
            return new FsStats(blockSize, fragmentSize, blocks, blocksFree, blocksAvailable, files, filesFree,
                    filesAvailable, maxNameLength);
        }
    }
}
