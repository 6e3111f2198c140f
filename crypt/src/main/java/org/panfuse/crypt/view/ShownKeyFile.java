package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.panfuse.bindings.stat;
import org.panfuse.fs.posix.Libc;

/**
 * The key file that a view shows as {@code gocryptfs.conf} at its root: the
 * bytes the mount was unlocked with (read once, so the view shows the key the
 * ciphertext was made with even if the file is replaced meanwhile), and the
 * file itself, opened once, for its owner, mode and times.
 */
final class ShownKeyFile implements AutoCloseable {
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");
    final byte[] bytes;
    private final int fd;

    private ShownKeyFile(byte[] bytes, int fd) {
        this.bytes = bytes;
        this.fd = fd;
    }

    /** The key file at {@code path}, whose contents were read as {@code bytes}. */
    static ShownKeyFile of(Path path, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.openat(AT_FDCWD(), arena.allocateFrom(path.toString()), O_PATH() | O_CLOEXEC(), 0);
            return new ShownKeyFile(bytes.clone(), fd);
        }
    }

    /** Its attributes, with the size of the bytes shown. */
    void statInto(MemorySegment attr, long ino) {
        Libc.fstatat(fd, EMPTY, attr, AT_EMPTY_PATH());
        stat.st_size(attr, bytes.length);
        stat.st_ino(attr, ino);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
