package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_ATIME;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_ATIME_NOW;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_CTIME;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_GID;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_MODE;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_MTIME;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_MTIME_NOW;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_SIZE;
import static org.panfuse.bindings.panfuse_h.FUSE_SET_ATTR_UID;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;

/**
 * What a {@code setattr} request changes, typed: each value is present only
 * when the request sets it ({@code chmod}: {@link #permissions()};
 * {@code chown}: {@link #uid()}/{@link #gid()}; {@code truncate}:
 * {@link #size()}; {@code utimensat}: the times). Read from the raw values
 * {@link LowLevelFileSystem#setattr} receives:
 * {@code SetAttributes changes = SetAttributes.of(attr, toSet);}
 *
 * <p>A time set to "now" ({@code UTIME_NOW}, {@code touch}) is present as the
 * server's clock at the time of reading, and {@link #accessedNow()} /
 * {@link #modifiedNow()} say so, for a filesystem that keeps its own clock.
 */
public final class SetAttributes {
    private final int toSet;
    private final int mode;
    private final int uid;
    private final int gid;
    private final long size;
    private final Instant accessed;
    private final Instant modified;
    private final Instant changed;

    private SetAttributes(MemorySegment attr, int toSet) {
        this.toSet = toSet;
        this.mode = stat.st_mode(attr);
        this.uid = stat.st_uid(attr);
        this.gid = stat.st_gid(attr);
        this.size = stat.st_size(attr);
        Instant now = (toSet & (FUSE_SET_ATTR_ATIME_NOW() | FUSE_SET_ATTR_MTIME_NOW())) != 0 ? Instant.now() : null;
        this.accessed = (toSet & FUSE_SET_ATTR_ATIME_NOW()) != 0 ? now : time(stat.st_atim(attr));
        this.modified = (toSet & FUSE_SET_ATTR_MTIME_NOW()) != 0 ? now : time(stat.st_mtim(attr));
        this.changed = time(stat.st_ctim(attr));
    }

    /**
     * The changes {@code setattr} was called with.
     *
     * @param attr  the request's {@code struct stat} (as passed to {@code setattr})
     * @param toSet the request's {@code FUSE_SET_ATTR_*} bits
     * @return the changes, read from {@code attr} now (it is valid during the operation only)
     * @throws IllegalArgumentException if {@code attr} is smaller than a {@code struct stat}
     */
    public static SetAttributes of(MemorySegment attr, int toSet) {
        if (attr.byteSize() < stat.sizeof()) {
            throw new IllegalArgumentException("setattr's attributes are a struct stat of " + stat.sizeof()
                    + " bytes, not " + attr.byteSize());
        }
        return new SetAttributes(attr, toSet);
    }

    private static Instant time(MemorySegment ts) {
        return Instant.ofEpochSecond(timespec.tv_sec(ts), timespec.tv_nsec(ts));
    }

    private boolean has(int bit) {
        return (toSet & bit) != 0;
    }

    /** {@return the raw {@code FUSE_SET_ATTR_*} bits} */
    public int bits() {
        return toSet;
    }

    /** {@return the new permission bits (07777), for {@code chmod}; empty when not set} */
    public OptionalInt permissions() {
        return has(FUSE_SET_ATTR_MODE()) ? OptionalInt.of(mode & 07777) : OptionalInt.empty();
    }

    /** {@return the new owner, for {@code chown}; empty when not set} */
    public OptionalInt uid() {
        return has(FUSE_SET_ATTR_UID()) ? OptionalInt.of(uid) : OptionalInt.empty();
    }

    /** {@return the new group, for {@code chown}/{@code chgrp}; empty when not set} */
    public OptionalInt gid() {
        return has(FUSE_SET_ATTR_GID()) ? OptionalInt.of(gid) : OptionalInt.empty();
    }

    /** {@return the new size, for {@code truncate}; empty when not set} */
    public OptionalLong size() {
        return has(FUSE_SET_ATTR_SIZE()) ? OptionalLong.of(size) : OptionalLong.empty();
    }

    /** {@return the new access time; empty when not set} */
    public Optional<Instant> accessed() {
        return has(FUSE_SET_ATTR_ATIME()) || has(FUSE_SET_ATTR_ATIME_NOW()) ? Optional.of(accessed)
                : Optional.empty();
    }

    /** {@return true when the access time is to be "now" ({@link #accessed()} then holds the server's clock)} */
    public boolean accessedNow() {
        return has(FUSE_SET_ATTR_ATIME_NOW());
    }

    /** {@return the new modification time; empty when not set} */
    public Optional<Instant> modified() {
        return has(FUSE_SET_ATTR_MTIME()) || has(FUSE_SET_ATTR_MTIME_NOW()) ? Optional.of(modified)
                : Optional.empty();
    }

    /** {@return true when the modification time is to be "now" ({@link #modified()} then holds the server's clock)} */
    public boolean modifiedNow() {
        return has(FUSE_SET_ATTR_MTIME_NOW());
    }

    /** {@return the new change time, where the kernel sends one; empty when not set} */
    public Optional<Instant> changed() {
        return has(FUSE_SET_ATTR_CTIME()) ? Optional.of(changed) : Optional.empty();
    }

    /** {@return true when nothing this type knows is set (other bits may be: see {@link #bits()})} */
    public boolean isEmpty() {
        return permissions().isEmpty() && uid().isEmpty() && gid().isEmpty() && size().isEmpty()
                && accessed().isEmpty() && modified().isEmpty() && changed().isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SetAttributes[");
        permissions().ifPresent(p -> sb.append(" permissions=0").append(Integer.toOctalString(p)));
        uid().ifPresent(u -> sb.append(" uid=").append(u));
        gid().ifPresent(g -> sb.append(" gid=").append(g));
        size().ifPresent(s -> sb.append(" size=").append(s));
        accessed().ifPresent(t -> sb.append(" accessed=").append(accessedNow() ? "now" : t));
        modified().ifPresent(t -> sb.append(" modified=").append(modifiedNow() ? "now" : t));
        changed().ifPresent(t -> sb.append(" changed=").append(t));
        return sb.append(" ]").toString();
    }
}
