package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_conn_info;

/**
 * The connection's parameters during {@code init}: what the kernel and libfuse
 * can do ({@link #capable()}), and what the filesystem asks for
 * ({@link #want(int, boolean)}), with the FUSE_CAP_* constants of the bindings
 * ({@code panfuse_h.FUSE_CAP_SPLICE_READ()}, ...). Read and change it during
 * {@link LowLevelFileSystem#init} only, on the thread that calls it: what is
 * set afterwards reaches nobody. The setters return this object, to chain.
 */
public final class ConnectionInfo {
    private final MemorySegment conn;
    private final Dispatcher dispatcher;

    ConnectionInfo(MemorySegment conn, Dispatcher dispatcher) {
        this.conn = conn.reinterpret(fuse_conn_info.sizeof());
        this.dispatcher = dispatcher;
    }

    /**
     * Whether the kernel offers kernel passthrough (Linux 6.9+ built with
     * CONFIG_FUSE_PASSTHROUGH): open files can then be backed by a
     * descriptor of the filesystem's, read and written by the kernel itself
     * ({@link ReplyOpen#passthrough}). libfuse 3.14 cannot negotiate it;
     * panfuse does, at INIT.
     *
     * @return true if the kernel offers it
     */
    public boolean passthroughOffered() {
        return dispatcher != null && dispatcher.passthroughOffered;
    }

    /**
     * Asks for kernel passthrough. Whether it is in force is known once the
     * mount is up ({@link FuseMount#kernelPassthrough()}): it also needs
     * CAP_SYS_ADMIN, and the kernel turns it off when the writeback cache is
     * on. Without it, {@link ReplyOpen#passthrough} answers as {@link ReplyOpen#opened}.
     *
     * @param on true to ask for kernel passthrough, false (the default) not to
     * @return this object
     */
    public ConnectionInfo wantPassthrough(boolean on) {
        if (dispatcher != null) {
            dispatcher.passthroughRequested = on;
        }
        return this;
    }

    /** {@return the major version of the FUSE protocol the kernel speaks (7)} */
    public int protoMajor() {
        return fuse_conn_info.proto_major(conn);
    }

    /** {@return the minor version of the FUSE protocol the kernel speaks} */
    public int protoMinor() {
        return fuse_conn_info.proto_minor(conn);
    }

    /** {@return the FUSE_CAP_* bits of what the kernel and libfuse both support} */
    public int capable() {
        return fuse_conn_info.capable(conn);
    }

    /**
     * {@return true if every bit of {@code capability} is supported}
     *
     * @param capability one or more FUSE_CAP_* bits
     */
    public boolean isCapable(int capability) {
        return (capable() & capability) == capability;
    }

    /**
     * {@return the FUSE_CAP_* bits the filesystem will have} libfuse's
     * defaults are set before {@code init} runs (among them
     * FUSE_CAP_PARALLEL_DIROPS, which panfuse asks the kernel for; turn it off
     * to have the kernel serialize lookups and listings in each directory).
     */
    public int want() {
        return fuse_conn_info.want(conn);
    }

    /**
     * Turns a capability on or off; asking for one the kernel or libfuse
     * lacks is silently ignored (check {@link #want()} afterwards, or
     * {@link #isCapable(int)} before).
     *
     * @param capability one or more FUSE_CAP_* bits
     * @param on         true to ask for it, false to do without
     * @return this object
     */
    public ConnectionInfo want(int capability, boolean on) {
        int want = want();
        if (on && isCapable(capability)) {
            want |= capability;
        } else if (!on) {
            want &= ~capability;
        }
        fuse_conn_info.want(conn, want);
        return this;
    }

    /** {@return the largest write the kernel sends in one request, in bytes} */
    public int maxWrite() {
        return fuse_conn_info.max_write(conn);
    }

    /**
     * Sets the largest write the kernel sends in one request (libfuse lowers
     * it to what its receive buffer holds).
     *
     * @param bytes the size in bytes
     * @return this object
     */
    public ConnectionInfo maxWrite(int bytes) {
        fuse_conn_info.max_write(conn, bytes);
        return this;
    }

    /** {@return the most the kernel may read ahead of the reader, in bytes, as offered at INIT} */
    public int maxReadahead() {
        return fuse_conn_info.max_readahead(conn);
    }

    /**
     * Sets the most the kernel may read ahead, in bytes (at most what it
     * offered). The kernel's actual window starts at 128 KiB whatever is set
     * here: see {@link FuseMount#readahead(int)}.
     *
     * @param bytes the size in bytes
     * @return this object
     */
    public ConnectionInfo maxReadahead(int bytes) {
        fuse_conn_info.max_readahead(conn, bytes);
        return this;
    }

    /**
     * Sets how many background requests (readahead, asynchronous direct I/O)
     * the kernel keeps outstanding at most; 0, libfuse's default, leaves the
     * kernel's own (12).
     *
     * @param requests the number of requests
     * @return this object
     */
    public ConnectionInfo maxBackground(int requests) {
        fuse_conn_info.max_background(conn, requests);
        return this;
    }

    /**
     * Sets the granularity of the timestamps the filesystem keeps, so that
     * the kernel rounds times it sets itself to match.
     *
     * @param nanoseconds a power of 10 from 1 (nanoseconds) to 1000000000 (seconds)
     * @return this object
     */
    public ConnectionInfo timeGranularity(int nanoseconds) {
        fuse_conn_info.time_gran(conn, nanoseconds);
        return this;
    }

    @Override
    public String toString() {
        return "proto " + protoMajor() + "." + protoMinor() + " capable=0x" + Integer.toHexString(capable())
                + " want=0x" + Integer.toHexString(want()) + " max_write=" + maxWrite();
    }
}
