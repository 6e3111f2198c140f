package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.EBADF;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.ConnectionInfo;
import org.panfuse.fs.lowlevel.ReplyDirectory;

/**
 * A view's open directories, by the handle given out at opendir: each one
 * listing made whole at opendir, answered from at readdir, dropped at
 * releasedir. Also what both views ask of the connection.
 */
final class Listings implements AutoCloseable {
    private final ConcurrentHashMap<Long, Listing> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /** The handle for {@code listing}, now open. */
    long add(Listing listing) {
        long fh = nextHandle.getAndIncrement();
        open.put(fh, listing);
        return fh;
    }

    void reply(long fh, long offset, ReplyDirectory reply) {
        Listing listing = open.get(fh);
        if (listing == null) {
            throw ErrnoException.of(EBADF());
        }
        listing.reply(offset, reply);
    }

    void release(long fh) {
        Listing listing = open.remove(fh);
        if (listing != null) {
            listing.close();
        }
    }

    @Override
    public void close() {
        open.values().forEach(Listing::close);
        open.clear();
    }

    /**
     * What the read-only views want at INIT: plain readdir (listings are
     * made whole at opendir), no export, and their data copied from their own
     * buffers (it is computed, not spliced from a descriptor).
     */
    static void init(ConnectionInfo conn) {
        conn.want(org.panfuse.bindings.panfuse_h.FUSE_CAP_READDIRPLUS(), false)
                .want(org.panfuse.bindings.panfuse_h.FUSE_CAP_EXPORT_SUPPORT(), false)
                .want(org.panfuse.bindings.panfuse_h.FUSE_CAP_SPLICE_READ(), false)
                .want(org.panfuse.bindings.panfuse_h.FUSE_CAP_SPLICE_WRITE(), false);
    }
}
