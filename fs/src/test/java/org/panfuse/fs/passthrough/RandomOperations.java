package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded, reproducible sequence of filesystem operations over a small
 * name space (so that operations meet each other: renames over existing
 * targets, links to files just written, rmdir of full directories). Operation
 * i depends only on the seed and i, never on earlier outcomes, so any prefix
 * can be replayed.
 */
final class RandomOperations {
    /** One operation: what it is, and how to run it under a root, returning its outcome as text. */
    record Op(int index, String description, Function<Path, String> run) {
        @Override
        public String toString() {
            return "#" + index + " " + description;
        }
    }

    private static final List<String> DIRS = List.of("", "a/", "b/", "a/c/");
    private static final List<String> NAMES = List.of("f0", "f1", "f2", "f3", "a", "b", "c", "l0", "l1");
    private static final int MAX_OFFSET = 3 << 20;

    private final long seed;

    RandomOperations(long seed) {
        this.seed = seed;
    }

    private static String path(Random r) {
        return DIRS.get(r.nextInt(DIRS.size())) + NAMES.get(r.nextInt(NAMES.size()));
    }

    private static int length(Random r) {
        // Mostly small, sometimes large: page-crossing and multi-request sizes both.
        return r.nextInt(10) < 7 ? r.nextInt(9000) : r.nextInt(1 << 20);
    }

    /** The {@code index}-th operation of this seed's sequence. */
    Op op(int index) {
        Random r = new Random(seed * 1_000_003L + index);
        String p = path(r);
        String q = path(r);
        long off = r.nextInt(10) < 8 ? r.nextInt(65536) : r.nextInt(MAX_OFFSET);
        int len = length(r);
        int kind = r.nextInt(20);
        long dataSeed = r.nextLong();
        return switch (kind) {
            case 0, 1 -> op(index, "create " + p, root -> Posix.open(root.resolve(p), O_CREAT() | O_WRONLY(), 0644)
                    + " " + Posix.lstat(root.resolve(p)));
            case 2, 3 -> op(index, "write " + p + " @" + off + " +" + len, root -> Posix.pwrite(root.resolve(p), off,
                    bytes(dataSeed, len)) + " " + Posix.lstat(root.resolve(p)));
            case 4 -> op(index, "truncate " + p + " " + off, root -> Posix.truncate(root.resolve(p), off)
                    + " " + Posix.lstat(root.resolve(p)));
            case 5, 6 -> op(index, "read " + p + " @" + off + " +" + len, root -> Posix.pread(root.resolve(p), off, len));
            case 7 -> {
                int flags = List.of(0, 0, RENAME_NOREPLACE(), RENAME_EXCHANGE()).get(r.nextInt(4));
                yield op(index, "rename " + p + " " + q + " flags=" + flags, root -> Posix.rename(root.resolve(p),
                        root.resolve(q), flags) + " " + Posix.lstat(root.resolve(p)) + " " + Posix.lstat(root.resolve(q)));
            }
            case 8 -> op(index, "link " + p + " " + q, root -> Posix.link(root.resolve(p), root.resolve(q))
                    + " " + Posix.lstat(root.resolve(q)));
            case 9 -> op(index, "unlink " + p, root -> Posix.unlink(root.resolve(p)));
            case 10 -> op(index, "mkdir " + p, root -> Posix.mkdir(root.resolve(p), 0755));
            case 11 -> op(index, "rmdir " + p, root -> Posix.rmdir(root.resolve(p)));
            case 12 -> {
                String target = r.nextBoolean() ? q : "/outside/" + q;
                yield op(index, "symlink " + target + " " + p, root -> Posix.symlink(target, root.resolve(p))
                        + " " + Posix.readlink(root.resolve(p)));
            }
            case 13 -> {
                int mode = List.of(0600, 0644, 0755, 0400, 01777).get(r.nextInt(5));
                yield op(index, "chmod " + p + " 0" + Integer.toOctalString(mode), root -> Posix.chmod(root.resolve(p), mode)
                        + " " + Posix.lstat(root.resolve(p)));
            }
            case 14 -> {
                long mtime = 1_000_000 + r.nextInt(1_000_000);
                yield op(index, "utimens " + p + " " + mtime, root -> Posix.utimens(root.resolve(p), 0, UTIME_OMIT(), mtime,
                        123, false) + " " + mtimeOf(root.resolve(p)));
            }
            case 15 -> {
                int mode = List.of(0, FALLOC_FL_KEEP_SIZE(), FALLOC_FL_PUNCH_HOLE() | FALLOC_FL_KEEP_SIZE()).get(r.nextInt(3));
                yield op(index, "fallocate " + p + " mode=" + mode + " @" + off + " +" + len, root -> Posix.fallocate(
                        root.resolve(p), mode, off, Math.max(1, len)) + " " + Posix.lstat(root.resolve(p)));
            }
            case 16 -> {
                long offOut = r.nextInt(65536);
                yield op(index, "copy_file_range " + p + " @" + off + " -> " + q + " @" + offOut + " +" + len,
                        root -> Posix.copyFileRange(root.resolve(p), off, root.resolve(q), offOut, len)
                                + " " + Posix.lstat(root.resolve(q)));
            }
            case 17 -> op(index, "mmap read " + p + " @" + off + " +" + len, root -> mmapRead(root.resolve(p), off, len));
            case 18 -> op(index, "mmap write " + p + " @" + off + " +" + len, root -> mmapWrite(root.resolve(p), off,
                    bytes(dataSeed, len)));
            default -> op(index, "fsync " + p, root -> Posix.fsync(root.resolve(p), r.nextBoolean()));
        };
    }

    private static Op op(int index, String description, Function<Path, String> run) {
        return new Op(index, description, run);
    }

    static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String mtimeOf(Path p) {
        String t = Posix.lstat(p).startsWith("ok") ? Posix.times(p).split(" ")[1] : "-";
        return "mtime=" + t;
    }

    /*
     * Mappings are made in an arena and unmapped when it closes: a mapping left
     * to the garbage collector would keep the mount busy after the test.
     *
     * The mapping is touched only by native memmove, never by Java code: a page
     * fault on it waits for a FUSE read that this same JVM serves, and a thread
     * faulting in Java code would hold up a safepoint (a GC) that the serving
     * thread must pass to enter Java: the JVM would deadlock itself. In native
     * code the faulting thread does not hold safepoints up.
     */
    private static final java.lang.invoke.MethodHandle MEMMOVE = java.lang.foreign.Linker.nativeLinker()
            .downcallHandle(java.lang.foreign.Linker.nativeLinker().defaultLookup().find("memmove").orElseThrow(),
                    java.lang.foreign.FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private static void memmove(MemorySegment to, MemorySegment from, long n) {
        try {
            MemorySegment ignored = (MemorySegment) MEMMOVE.invokeExact(to, from, n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads through a mapping of the region that exists; the outcome is the bytes' hash or the failure's type. */
    static String mmapRead(Path p, long off, int len) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            long n = Math.max(0, Math.min(len, size - off));
            if (n == 0) {
                return "ok empty";
            }
            MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, off, n, arena);
            MemorySegment copy = arena.allocate(n);
            memmove(copy, map, n);
            return "ok " + n + " " + Arrays.hashCode(copy.toArray(ValueLayout.JAVA_BYTE));
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** Writes through a shared mapping (growing the file first if needed) and forces it out. */
    static String mmapWrite(Path p, long off, byte[] data) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            if (data.length == 0) {
                return "ok empty";
            }
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, off, data.length, arena);
            memmove(map, arena.allocateFrom(ValueLayout.JAVA_BYTE, data), data.length);
            map.force();
            return "ok " + ch.size();
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }
}
