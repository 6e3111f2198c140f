package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/** What real programs do to files: big sparse files, open-but-unlinked, renames under open files, concurrency. */
class PassthroughScenariosTest {

    @Test
    void sparseFileLargerThan4GiB() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            long far = 5L << 30;
            m.same("create", r -> Posix.open(r.resolve("sparse"), O_CREAT() | O_WRONLY(), 0644));
            m.same("write at 5 GiB", r -> Posix.pwrite(r.resolve("sparse"), far, "end".getBytes()));
            m.same("write at 1 MiB", r -> Posix.pwrite(r.resolve("sparse"), 1 << 20, "mid".getBytes()));
            m.same("size and blocks", r -> Posix.lstat(r.resolve("sparse")));
            m.same("SEEK_DATA from 0", r -> Posix.lseek(r.resolve("sparse"), 0, SEEK_DATA()));
            m.same("SEEK_HOLE after 1 MiB", r -> Posix.lseek(r.resolve("sparse"), 1 << 20, SEEK_HOLE()));
            m.same("SEEK_DATA from 2 MiB", r -> Posix.lseek(r.resolve("sparse"), 2 << 20, SEEK_DATA()));
            m.same("read the end", r -> Posix.pread(r.resolve("sparse"), far - 2, 10));
            m.same("read a hole above 4 GiB", r -> Posix.pread(r.resolve("sparse"), 4L << 30, 4096));
            m.same("truncate to 4 GiB + 1", r -> Posix.truncate(r.resolve("sparse"), (4L << 30) + 1) + Posix.lstat(r.resolve("sparse")));
        }
    }

    @Test
    void unlinkedButOpenFileStaysUsable() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Path f = m.mnt("doomed");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap("before".getBytes()));
                Files.delete(f);
                assertTrue(Files.notExists(f));
                assertTrue(Files.notExists(m.src("doomed")));
                ch.write(ByteBuffer.wrap("-after".getBytes()), 6);
                ByteBuffer back = ByteBuffer.allocate(12);
                ch.read(back, 0);
                assertEquals("before-after", new String(back.array()));
                assertEquals(12, ch.size());
            }
        }
    }

    @Test
    void renamedWhileOpen() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Files.createDirectories(m.mnt("a/b"));
            try (FileChannel ch = FileChannel.open(m.mnt("a/b/f"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap("one".getBytes()));
                Files.move(m.mnt("a"), m.mnt("z"));               // through the mount
                ch.write(ByteBuffer.wrap("two".getBytes()), 3);
                Files.move(m.src("z/b"), m.src("y"));             // behind the mount's back
                ch.write(ByteBuffer.wrap("three".getBytes()), 6);
            }
            assertEquals("onetwothree", Files.readString(m.src("y/f")));
            assertEquals("onetwothree", Files.readString(m.mnt("y/f")));
            assertTrue(Files.notExists(m.mnt("a")));
        }
    }

    @Test
    void concurrentWritersAndReadersOnOneFileAndMany() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(), MountOptions.defaults().withThreads(8))) {
            int threads = 8;
            int chunk = 256 * 1024;
            Path shared = m.mnt("shared");
            try (RandomAccessFile raf = new RandomAccessFile(shared.toFile(), "rw")) {
                raf.setLength((long) threads * chunk);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    work.add(pool.submit(() -> {
                        byte[] mine = pattern(id, chunk);
                        try (FileChannel ch = FileChannel.open(shared, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                            for (int off = 0; off < chunk; off += 4096) {
                                ch.write(ByteBuffer.wrap(mine, off, 4096), (long) id * chunk + off);
                            }
                            ByteBuffer back = ByteBuffer.allocate(chunk);
                            while (back.hasRemaining()) {
                                ch.read(back, (long) id * chunk + back.position());
                            }
                            assertArrayEquals(mine, back.array(), "region of thread " + id);
                        }
                        Path own = m.mnt("own-" + id);
                        for (int round = 0; round < 20; round++) {
                            byte[] data = pattern(id * 100 + round, 64 * 1024 + round);
                            Files.write(own, data);
                            assertArrayEquals(data, Files.readAllBytes(own), "file of thread " + id);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            byte[] all = Files.readAllBytes(m.src("shared"));
            for (int t = 0; t < threads; t++) {
                byte[] region = java.util.Arrays.copyOfRange(all, t * chunk, (t + 1) * chunk);
                assertArrayEquals(pattern(t, chunk), region, "source region " + t);
            }
        }
    }

    private static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void withoutSpliceAndWithWritebackCacheDataIsTheSame() throws Exception {
        for (PassthroughOptions o : List.of(PassthroughOptions.defaults().withSplice(false),
                PassthroughOptions.defaults().withWritebackCache(true),
                PassthroughOptions.defaults().withCache(CachePolicy.NEVER),
                PassthroughOptions.defaults().withCache(CachePolicy.ALWAYS),
                PassthroughOptions.defaults().withDirectIo(true))) {
            try (MountedSource m = MountedSource.mount(o, MountOptions.defaults())) {
                byte[] data = pattern(7, 5 * 1024 * 1024 + 3);
                Files.write(m.mnt("f"), data);
                assertArrayEquals(data, Files.readAllBytes(m.src("f")), o.toString());
                assertArrayEquals(data, Files.readAllBytes(m.mnt("f")), o.toString());
                Files.writeString(m.mnt("log"), "a");
                Files.writeString(m.mnt("log"), "b", StandardOpenOption.APPEND);
                assertEquals("ab", Files.readString(m.src("log")), o.toString());
            }
        }
    }

    /** AUTO keeps file data across opens only while the file is unchanged. */
    @Test
    void autoCacheSeesChangesMadeBehindTheMount() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Files.writeString(m.src("f"), "version-1");
            assertEquals("version-1", Files.readString(m.mnt("f")));
            assertEquals("version-1", Files.readString(m.mnt("f"))); // second open: kept cache
            Thread.sleep(10); // a different mtime even on coarse clocks
            Files.writeString(m.src("f"), "version-2"); // same size, behind the mount's back
            assertEquals("version-2", Files.readString(m.mnt("f")));
        }
    }

    /** AUTO keeps a directory listing across opens only while the directory is unchanged. */
    @Test
    void autoCacheSeesEntriesAddedBehindTheMount() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Files.createDirectory(m.src("d"));
            Files.writeString(m.src("d/a"), "a");
            assertEquals(List.of("a"), TreeSnapshot.names(m.mnt("d")));
            assertEquals(List.of("a"), TreeSnapshot.names(m.mnt("d"))); // second listing: from the kernel's cache
            Thread.sleep(10);
            Files.writeString(m.src("d/b"), "b"); // behind the mount's back
            assertEquals(List.of("a", "b"), TreeSnapshot.names(m.mnt("d")));
        }
    }

    @Test
    void singleThreadedLoopServes() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(), MountOptions.defaults().withThreads(0).withCloneFd(false))) {
            Files.writeString(m.mnt("x"), "single");
            assertEquals("single", Files.readString(m.src("x")));
        }
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(), MountOptions.defaults().withThreads(4).withCloneFd(true))) {
            Files.writeString(m.mnt("x"), "clone_fd");
            assertEquals("clone_fd", Files.readString(m.src("x")));
        }
    }

    @Test
    void readOnlyMountRefusesWrites() throws IOException {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(), MountOptions.defaults().withReadOnly(true))) {
            Files.writeString(m.src("f"), "ro");
            assertEquals("ro", Files.readString(m.mnt("f")));
            assertEquals("EROFS", Posix.open(m.mnt("f"), O_WRONLY(), 0));
            assertEquals("EROFS", Posix.mkdir(m.mnt("d"), 0755));
        }
    }
}
