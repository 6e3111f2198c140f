package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_attr;
import org.panfuse.bindings.fuse_entry_out;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;

/**
 * The protocol's fuse_entry_out, filled as libfuse fills it from a
 * fuse_entry_param (its fill_entry and convert_stat): for the answers
 * libfuse 3.14 cannot build itself (CREATE with a backing file).
 */
final class KernelEntry {
    private KernelEntry() {
    }

    static void fill(MemorySegment out, long nodeId, long generation, double attrTimeout, double entryTimeout,
            MemorySegment st) {
        fuse_entry_out.nodeid(out, nodeId);
        fuse_entry_out.generation(out, generation);
        fuse_entry_out.entry_valid(out, seconds(entryTimeout));
        fuse_entry_out.entry_valid_nsec(out, nanos(entryTimeout));
        fuse_entry_out.attr_valid(out, seconds(attrTimeout));
        fuse_entry_out.attr_valid_nsec(out, nanos(attrTimeout));
        MemorySegment a = fuse_entry_out.attr(out);
        fuse_attr.ino(a, stat.st_ino(st));
        fuse_attr.size(a, stat.st_size(st));
        fuse_attr.blocks(a, stat.st_blocks(st));
        fuse_attr.atime(a, timespec.tv_sec(stat.st_atim(st)));
        fuse_attr.mtime(a, timespec.tv_sec(stat.st_mtim(st)));
        fuse_attr.ctime(a, timespec.tv_sec(stat.st_ctim(st)));
        fuse_attr.atimensec(a, (int) timespec.tv_nsec(stat.st_atim(st)));
        fuse_attr.mtimensec(a, (int) timespec.tv_nsec(stat.st_mtim(st)));
        fuse_attr.ctimensec(a, (int) timespec.tv_nsec(stat.st_ctim(st)));
        fuse_attr.mode(a, stat.st_mode(st));
        fuse_attr.nlink(a, (int) stat.st_nlink(st));
        fuse_attr.uid(a, stat.st_uid(st));
        fuse_attr.gid(a, stat.st_gid(st));
        fuse_attr.rdev(a, (int) stat.st_rdev(st));
        fuse_attr.blksize(a, (int) stat.st_blksize(st));
        fuse_attr.flags(a, 0);
    }

    /** Whole seconds of a timeout, as libfuse's calc_timeout_sec: negative is 0. */
    static long seconds(double t) {
        if (t <= 0) {
            return 0;
        }
        return t >= 0x1p64 ? -1L : (long) Math.min(t, (double) Long.MAX_VALUE);
    }

    /** The rest in nanoseconds, as libfuse's calc_timeout_nsec. */
    static int nanos(double t) {
        if (t <= 0) {
            return 0;
        }
        double f = t - Math.floor(t);
        return f >= 0.999999999 ? 999_999_999 : (int) (f * 1.0e9);
    }
}
