package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.SEEK_SET;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.bindings.dirent64;
import org.panfuse.fs.posix.Libc;

/**
 * An open directory: its descriptor and a buffer of entries read with
 * getdents64 but not yet handed to the kernel. Offsets are the source
 * filesystem's own d_off cookies, so a readdir may continue anywhere.
 */
final class DirectoryHandle {
    private static final int BUFFER_SIZE = 32 * 1024;
    private static final long NAME_OFFSET = dirent64.d_name$offset();

    final int fd;
    private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_SIZE, 8);
    private long filled;
    private long next;
    /** The offset the next entry in the buffer (or on disk) continues from. */
    private long position;

    /** The file handle of an open virtual root: no descriptor, its listing is made from the sources. */
    static final long VIRTUAL_FH = -2;

    DirectoryHandle(int fd) {
        this.fd = fd;
    }

    static boolean isVirtual(long fh) {
        return fh == VIRTUAL_FH;
    }

    void close() {
        Libc.close(fd);
    }

    /** Moves to {@code offset} (0 or a d_off given out before), dropping buffered entries if it differs. */
    void seek(long offset) {
        if (offset != position) {
            Libc.lseek(fd, offset, SEEK_SET());
            filled = 0;
            next = 0;
            position = offset;
        }
    }

    /** The next entry, or NULL at the end; stays current until {@link #advance()}. */
    MemorySegment peek() {
        if (next >= filled) {
            filled = Libc.getdents64(fd, buffer, BUFFER_SIZE);
            next = 0;
            if (filled == 0) {
                return MemorySegment.NULL;
            }
        }
        return buffer.asSlice(next, Short.toUnsignedLong(dirent64.d_reclen(buffer.asSlice(next))));
    }

    void advance() {
        MemorySegment entry = buffer.asSlice(next);
        position = dirent64.d_off(entry);
        next += Short.toUnsignedLong(dirent64.d_reclen(entry));
    }

    static long ino(MemorySegment entry) {
        return dirent64.d_ino(entry);
    }

    static long nextOffset(MemorySegment entry) {
        return dirent64.d_off(entry);
    }

    /** The S_IFMT bits from d_type (DT_* values are the S_IF* values shifted right by 12). */
    static int type(MemorySegment entry) {
        return Byte.toUnsignedInt(dirent64.d_type(entry)) << 12;
    }

    static MemorySegment name(MemorySegment entry) {
        return entry.asSlice(NAME_OFFSET);
    }

    /** "." or "..". */
    static boolean isDotOrDotDot(MemorySegment entry) {
        byte b0 = entry.get(ValueLayout.JAVA_BYTE, NAME_OFFSET);
        byte b1 = entry.get(ValueLayout.JAVA_BYTE, NAME_OFFSET + 1);
        return b0 == '.' && (b1 == 0 || (b1 == '.' && entry.get(ValueLayout.JAVA_BYTE, NAME_OFFSET + 2) == 0));
    }
}
