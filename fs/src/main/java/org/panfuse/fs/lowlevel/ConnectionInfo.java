package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_conn_info;

/**
 * The connection's parameters during {@code init}: what the kernel and libfuse
 * can do ({@link #capable()}), and what the filesystem asks for
 * ({@link #want(int, boolean)}), with the FUSE_CAP_* constants of the bindings.
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
     */
    public boolean passthroughOffered() {
        return dispatcher != null && dispatcher.passthroughOffered;
    }

    /**
     * Asks for kernel passthrough. Whether it is in force is known once the
     * mount is up ({@link FuseMount#kernelPassthrough()}): it also needs
     * CAP_SYS_ADMIN, and the kernel turns it off when the writeback cache is
     * on. Without it, {@link ReplyOpen#passthrough} answers as {@link ReplyOpen#opened}.
     */
    public ConnectionInfo wantPassthrough(boolean on) {
        if (dispatcher != null) {
            dispatcher.passthroughRequested = on;
        }
        return this;
    }

    public int protoMajor() {
        return fuse_conn_info.proto_major(conn);
    }

    public int protoMinor() {
        return fuse_conn_info.proto_minor(conn);
    }

    public int capable() {
        return fuse_conn_info.capable(conn);
    }

    public boolean isCapable(int capability) {
        return (capable() & capability) == capability;
    }

    public int want() {
        return fuse_conn_info.want(conn);
    }

    /** Turns a capability on or off; asking for one the kernel lacks is silently ignored. */
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

    public int maxWrite() {
        return fuse_conn_info.max_write(conn);
    }

    public ConnectionInfo maxWrite(int bytes) {
        fuse_conn_info.max_write(conn, bytes);
        return this;
    }

    public int maxReadahead() {
        return fuse_conn_info.max_readahead(conn);
    }

    public ConnectionInfo maxReadahead(int bytes) {
        fuse_conn_info.max_readahead(conn, bytes);
        return this;
    }

    public ConnectionInfo maxBackground(int requests) {
        fuse_conn_info.max_background(conn, requests);
        return this;
    }

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
