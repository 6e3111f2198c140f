package org.panfuse.fs.tree;

/**
 * One object of a source tree as the kernel knows it: identified by its
 * source and the source's (st_dev, st_ino) (and, once its descriptor was
 * closed, by its kernel file handle), named to the kernel by {@link #nodeId},
 * reachable through an O_PATH descriptor that the {@link InodeTable} may close
 * when it needs room and re-open from the file handle. The root of a view of
 * several sources is a virtual inode of its own, with no source.
 *
 * <p>All mutable state is guarded by the inode's own monitor.
 */
public final class Inode {
    final long nodeId;
    /** The source this object belongs to; null for the virtual root of several sources. */
    final Source source;
    /** A directory on another filesystem in a one_file_system source: shown empty and read-only. */
    final boolean boundary;
    final long dev;
    final long ino;
    /** The S_IFMT bits: an inode never changes type. */
    final int type;
    /** struct file_handle bytes from name_to_handle_at, or null if the descriptor must stay open. */
    final byte[] handle;

    /** The root or a source's directory: known for as long as the table lives, whatever the kernel forgets. */
    boolean permanent;
    /** The O_PATH descriptor, or -1 while evicted. */
    int fd;
    /** Operations currently using {@link #fd}: it is never closed under them. */
    int pins;
    /** The kernel's references (lookups minus forgets). */
    long lookups;
    /** Used since the evictor last passed by (second chance). */
    boolean recentlyUsed;
    /** Forgotten by the kernel and gone from the table; the descriptor closes with the last pin. */
    boolean removed;
    /**
     * What the file looked like when last opened (mtime, ctime and size mixed
     * into one value), to let the kernel keep its cached data when it has not changed.
     */
    long openedVersion;

    Inode(long nodeId, Source source, boolean boundary, long dev, long ino, int type, byte[] handle, int fd) {
        this.nodeId = nodeId;
        this.source = source;
        this.boundary = boundary;
        this.dev = dev;
        this.ino = ino;
        this.type = type;
        this.handle = handle;
        this.fd = fd;
    }

    /** {@return the number the kernel knows this inode by (its node id, not the inode number shown)} */
    public long nodeId() {
        return nodeId;
    }

    /** {@return the source it belongs to, or null for the virtual root of a view of several sources} */
    public Source source() {
        return source;
    }

    /** {@return the S_IFMT bits of its mode (an inode never changes type)} */
    public int type() {
        return type;
    }

    /** {@return true for the view's root or a source's directory, which are never forgotten} */
    public boolean isPermanent() {
        return permanent;
    }

    /** {@return true for the virtual root of a view of several sources, which has no source and no descriptor} */
    public boolean isVirtualRoot() {
        return source == null;
    }

    /**
     * {@return true for a mount point inside a one_file_system source, shown
     * as an empty, read-only directory}
     */
    public boolean isBoundary() {
        return boundary;
    }

    /**
     * Records what the file looks like at this open, for cache decisions
     * (whether the kernel may keep its cached data). Thread-safe.
     *
     * @param version the file's mtime, ctime and size, mixed into one value
     * @return true if it is what the previous open recorded
     */
    public synchronized boolean swapOpenedVersion(long version) {
        boolean same = openedVersion == version;
        openedVersion = version;
        return same;
    }

    boolean evictable() {
        return handle != null;
    }

    /**
     * Counts one more kernel reference if the inode's descriptor is open: its
     * object then still exists, so it is the object any name now showing its
     * (st_dev, st_ino) leads to.
     */
    synchronized boolean tryAddLookupWhileOpen() {
        if (removed || fd < 0) {
            return false;
        }
        lookups++;
        recentlyUsed = true;
        return true;
    }

    /**
     * Counts one more kernel reference if the object whose file handle is
     * {@code otherHandle} (open by the caller) is this inode's object: for
     * certain while this descriptor is open, else if the handles (which carry
     * the generation) are equal.
     */
    synchronized boolean tryAddLookupIfSame(byte[] otherHandle) {
        if (removed) {
            return false;
        }
        boolean same = fd >= 0 || (handle != null && java.util.Arrays.equals(handle, otherHandle));
        if (same) {
            lookups++;
            recentlyUsed = true;
        }
        return same;
    }

    /** Takes {@code otherFd} as this inode's descriptor if it has none open; false if it already has one. */
    synchronized boolean adoptDescriptor(int otherFd) {
        if (fd >= 0 || removed) {
            return false;
        }
        fd = otherFd;
        return true;
    }

    /** Counts one more kernel reference, unless the inode has already been forgotten. */
    synchronized boolean tryAddLookup(long n) {
        if (removed) {
            return false;
        }
        lookups += n;
        return true;
    }

    @Override
    public String toString() {
        return "inode " + nodeId + " (dev " + dev + ", ino " + ino + ")";
    }
}
