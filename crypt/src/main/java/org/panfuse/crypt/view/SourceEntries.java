package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.bindings.dirent64;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.posix.ProcFdPath;

/**
 * All entries of a source directory ("." and ".." left out), read with
 * getdents64 from a descriptor opened for the purpose. The views list a
 * directory whole at opendir: a listing is then one consistent snapshot that
 * readdir offsets index into, whatever happens to the directory meanwhile.
 */
final class SourceEntries {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final long NAME_OFFSET = dirent64.d_name$offset();

    /** One entry: its name's bytes, its S_IFMT type (0 if the filesystem did not say) and its inode number. */
    record Entry(byte[] name, int type, long ino) {
    }

    private SourceEntries() {
    }

    /** The entries of the directory open as the O_PATH descriptor {@code dirPathFd}. */
    static List<Entry> of(int dirPathFd) {
        int fd = Libc.openat(AT_FDCWD(), ProcFdPath.of(dirPathFd), O_RDONLY() | O_DIRECTORY() | O_CLOEXEC(), 0);
        List<Entry> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_SIZE, 8);
            long filled;
            while ((filled = Libc.getdents64(fd, buffer, BUFFER_SIZE)) > 0) {
                long at = 0;
                while (at < filled) {
                    MemorySegment entry = buffer.asSlice(at);
                    int length = Short.toUnsignedInt(dirent64.d_reclen(entry));
                    byte[] name = nameOf(entry);
                    if (!isDotOrDotDot(name)) {
                        entries.add(new Entry(name, Byte.toUnsignedInt(dirent64.d_type(entry)) << 12,
                                dirent64.d_ino(entry)));
                    }
                    at += length;
                }
            }
        } finally {
            Libc.close(fd);
        }
        return entries;
    }

    private static byte[] nameOf(MemorySegment entry) {
        long n = 0;
        while (entry.get(ValueLayout.JAVA_BYTE, NAME_OFFSET + n) != 0) {
            n++;
        }
        return entry.asSlice(NAME_OFFSET, n).toArray(ValueLayout.JAVA_BYTE);
    }

    static boolean isDotOrDotDot(byte[] name) {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }
}
