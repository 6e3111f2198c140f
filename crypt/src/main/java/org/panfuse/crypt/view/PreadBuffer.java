package org.panfuse.crypt.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.fs.posix.Libc;

/**
 * One thread's buffer for the views' read paths: a pread into off-heap
 * memory, copied once into a heap array the JDK's ciphers can work on. It
 * grows to the largest read seen and is then reused, so a request allocates nothing.
 */
final class PreadBuffer {
    private MemorySegment offHeap = MemorySegment.NULL;
    /** What the last {@link #read} read, from index 0. */
    byte[] bytes = new byte[0];

    /** Reads up to {@code length} bytes of {@code fd} at {@code offset} into {@link #bytes}; fewer only at end of file. */
    int read(int fd, long offset, int length) {
        if (offHeap.byteSize() < length) {
            offHeap = Arena.ofAuto().allocate(length, 64);
            bytes = new byte[length];
        }
        int total = 0;
        while (total < length) {
            long n = Libc.pread(fd, offHeap.asSlice(total), length - total, offset + total);
            if (n <= 0) {
                break;
            }
            total += (int) n;
        }
        MemorySegment.copy(offHeap, ValueLayout.JAVA_BYTE, 0, bytes, 0, total);
        return total;
    }
}
