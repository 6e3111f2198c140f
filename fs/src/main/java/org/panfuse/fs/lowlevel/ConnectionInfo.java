package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_conn_info;

/**
 * The connection's parameters during {@code init}: what the kernel and libfuse
 * can do ({@link #capable()}), and what the filesystem asks for
 * ({@link #want(int)}), with the FUSE_CAP_* constants of the bindings.
 */
public final class ConnectionInfo {
    private final MemorySegment conn;

    ConnectionInfo(MemorySegment conn) {
        this.conn = conn.reinterpret(fuse_conn_info.sizeof());
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
