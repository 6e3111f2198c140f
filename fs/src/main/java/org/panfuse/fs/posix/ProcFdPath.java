package org.panfuse.fs.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * "/proc/self/fd/N" as a C string, written into a per-thread buffer: the way
 * to reach the object behind an O_PATH descriptor with calls that take only a
 * path (open with new flags, truncate, xattrs, chmod).
 */
public final class ProcFdPath {
    private static final byte[] PREFIX = "/proc/self/fd/".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate(PREFIX.length + 12));

    private ProcFdPath() {
    }

    /**
     * {@return the path of {@code fd}, a NUL-terminated C string in this
     * thread's buffer} Valid until this thread's next call; not to be shared
     * with other threads.
     *
     * @param fd an open descriptor of this process
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public static MemorySegment of(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative descriptor " + fd);
        }
        MemorySegment buf = BUFFER.get();
        MemorySegment.copy(PREFIX, 0, buf, ValueLayout.JAVA_BYTE, 0, PREFIX.length);
        int digits = 1;
        for (int v = fd / 10; v > 0; v /= 10) {
            digits++;
        }
        long end = PREFIX.length + digits;
        int v = fd;
        for (long i = end - 1; i >= PREFIX.length; i--) {
            buf.set(ValueLayout.JAVA_BYTE, i, (byte) ('0' + v % 10));
            v /= 10;
        }
        buf.set(ValueLayout.JAVA_BYTE, end, (byte) 0);
        return buf;
    }
}
