package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * The data of a write request as libfuse received it: in memory, or still in a
 * pipe when the kernel spliced it. {@link #copyToFd} moves it into a file
 * descriptor without passing through the JVM.
 */
public interface WriteSource {
    /** The number of bytes to write. */
    long size();

    /** Writes the data to {@code fd} at {@code offset} (splicing where possible); returns the bytes written. */
    long copyToFd(int fd, long offset);

    /** Copies the data into {@code target} (at least {@link #size()} bytes); returns the bytes copied. */
    long copyTo(MemorySegment target);
}
