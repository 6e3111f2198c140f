package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;

/**
 * The data of a write request as libfuse received it: in memory, or still in a
 * pipe when the kernel spliced it. {@link #copyToFd} moves it into a file
 * descriptor without passing through the JVM. It belongs to the worker
 * thread and is valid only until the write operation returns, also when the
 * reply is deferred; the data can be taken once (a pipe is emptied by
 * reading it).
 */
public interface WriteSource {
    /** {@return the number of bytes to write} */
    long size();

    /**
     * Writes the data to {@code fd} at {@code offset} (splicing where possible).
     *
     * @param fd     an open descriptor, written during this call only
     * @param offset where in {@code fd} to write, in bytes
     * @return the bytes written (fewer than {@link #size()} on a short write)
     * @throws org.panfuse.fs.errno.ErrnoException if reading the data or writing {@code fd} fails
     */
    long copyToFd(int fd, long offset);

    /**
     * Copies the data into {@code target}.
     *
     * @param target native memory of at least {@link #size()} bytes (a smaller one receives only what fits)
     * @return the bytes copied
     * @throws org.panfuse.fs.errno.ErrnoException if reading the data fails
     */
    long copyTo(MemorySegment target);
}
