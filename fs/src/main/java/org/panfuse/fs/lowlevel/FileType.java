package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.S_IFBLK;
import static org.panfuse.bindings.panfuse_h.S_IFCHR;
import static org.panfuse.bindings.panfuse_h.S_IFDIR;
import static org.panfuse.bindings.panfuse_h.S_IFIFO;
import static org.panfuse.bindings.panfuse_h.S_IFLNK;
import static org.panfuse.bindings.panfuse_h.S_IFMT;
import static org.panfuse.bindings.panfuse_h.S_IFREG;
import static org.panfuse.bindings.panfuse_h.S_IFSOCK;

/** The type of a file: the {@code S_IFMT} bits of {@code st_mode}, as a Java type. */
public enum FileType {
    /** A regular file ({@code S_IFREG}). */
    REGULAR(S_IFREG()),
    /** A directory ({@code S_IFDIR}). */
    DIRECTORY(S_IFDIR()),
    /** A symbolic link ({@code S_IFLNK}). */
    SYMLINK(S_IFLNK()),
    /** A character device ({@code S_IFCHR}). */
    CHARACTER_DEVICE(S_IFCHR()),
    /** A block device ({@code S_IFBLK}). */
    BLOCK_DEVICE(S_IFBLK()),
    /** A named pipe ({@code S_IFIFO}). */
    FIFO(S_IFIFO()),
    /** A Unix domain socket ({@code S_IFSOCK}). */
    SOCKET(S_IFSOCK());

    private static final FileType[] VALUES = values();
    private final int bits;

    FileType(int bits) {
        this.bits = bits;
    }

    /** {@return the {@code S_IFMT} bits of this type, as in {@code st_mode}} */
    public int bits() {
        return bits;
    }

    /**
     * The type whose bits {@code mode} carries (only its {@code S_IFMT} bits count).
     *
     * @param mode an {@code st_mode}, or just its type bits
     * @return the type
     * @throws IllegalArgumentException if {@code mode} names no file type
     */
    public static FileType of(int mode) {
        int type = mode & S_IFMT();
        for (FileType t : VALUES) {
            if (t.bits == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("mode 0" + Integer.toOctalString(mode) + " names no file type");
    }
}
