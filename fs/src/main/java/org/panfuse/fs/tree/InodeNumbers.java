package org.panfuse.fs.tree;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.panfuse.fs.posix.MountTable;

/**
 * The inode numbers a view shows for one source (st_ino, d_ino), so that
 * backup programs, which take a changed number for a changed file, see the
 * same numbers after every mount of the same configuration, and never the
 * same number for two files.
 *
 * <p>A single-source view shows the source's own numbers. In a view of several
 * sources a number is made of three parts:
 * <pre>
 *   bits 63-56  the source's place in the configuration, plus 1 (1..255)
 *   bits 55-48  the filesystem inside the source: 0 for the source's own, then
 *               1, 2, ... for the mounts below it in the order of their paths
 *   bits 47-0   the inode number on that filesystem
 * </pre>
 * Hard links within a source keep one number. A number that does not fit
 * (an inode number of 2^48 or more, more than 255 filesystems below one source,
 * more than 255 sources) is mixed into the upper half of the number space
 * instead, with the top bit set, which keeps it stable but not provably unique.
 */
public final class InodeNumbers {
    private static final int FIELD_BITS = 48;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    private static final int MAX_SLOT = 255;

    private final boolean identity;
    private final boolean sourceFits;
    private final long sourceTag;
    private final long ownDev;
    private final ConcurrentHashMap<Long, Integer> slots = new ConcurrentHashMap<>();
    private final AtomicInteger nextSlot;

    private InodeNumbers(boolean identity, int sourceIndex, long ownDev, List<Long> devsBelow) {
        this.identity = identity;
        this.sourceFits = sourceIndex + 1 <= MAX_SLOT;
        this.sourceTag = (long) (sourceIndex + 1) << 56;
        this.ownDev = ownDev;
        int slot = 1;
        for (long dev : devsBelow) {
            if (dev != ownDev && !slots.containsKey(dev)) {
                slots.put(dev, slot++);
            }
        }
        this.nextSlot = new AtomicInteger(slot);
    }

    /** The source's own numbers: a view of one source. */
    static InodeNumbers identity() {
        return new InodeNumbers(true, 0, 0, List.of());
    }

    /** The numbers of the source at {@code sourceIndex}, on device {@code ownDev}, found at {@code path}. */
    static InodeNumbers forSource(int sourceIndex, long ownDev, Path path) {
        List<MountTable.Mount> below = MountTable.mounts().stream()
                .filter(m -> m.mountPoint().startsWith(path) && !m.mountPoint().equals(path))
                .sorted(Comparator.comparing(m -> m.mountPoint().toString()))
                .toList();
        return new InodeNumbers(false, sourceIndex, ownDev, below.stream().map(MountTable.Mount::dev).toList());
    }

    /** The number shown for the object {@code ino} on device {@code dev}. */
    long of(long dev, long ino) {
        if (identity) {
            return ino;
        }
        int slot = dev == ownDev ? 0 : slots.computeIfAbsent(dev, d -> nextSlot.getAndIncrement());
        if (sourceFits && slot <= MAX_SLOT && (ino & ~FIELD_MASK) == 0) {
            return sourceTag | ((long) slot << FIELD_BITS) | ino;
        }
        return Long.MIN_VALUE | (mix(mix(sourceTag ^ slot) ^ ino) >>> 1);
    }

    /** A 64-bit finalizer (as in SplitMix64): every input bit changes about half the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
