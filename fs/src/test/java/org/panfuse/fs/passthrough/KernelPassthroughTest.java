package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * Kernel passthrough in force (this machine's kernel has it, and the tests
 * run as root: it must be in force, or the test fails): file data never
 * reaches the server, and what passthrough makes risky behaves as on the
 * bare directory: one backing id per inode shared by its opens and freed at
 * the last release, concurrent opens read-only and read-write, O_TRUNC and
 * O_APPEND, truncate and fallocate while open, shared mmap writes seen by a
 * reader, unlinked-but-open, thousands of open files, and the same file open
 * at once through a passthrough mount and a --direct-io mount.
 */
class KernelPassthroughTest {
    private static MountedSource mount() throws Exception {
        MountedSource m = MountedSource.mount(PassthroughOptions.defaults()
                .withPassthrough(KernelPassthroughMode.ALWAYS), MountOptions.defaults());
        assertTrue(m.mount.kernelPassthrough().inForce(), m.mount.kernelPassthrough().reason());
        return m;
    }

    @Test
    void fileDataNeverReachesTheServer() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        Path jfr = Files.createTempFile("panfuse-", ".jfr");
        try (Recording recording = new Recording()) {
            MountedSource m = mount();
            try {
                recording.enable("org.panfuse.FuseOperation").withThreshold(java.time.Duration.ZERO);
                recording.start();
                Files.write(m.mnt("data"), data);
                assertArrayEquals(data, Files.readAllBytes(m.mnt("data")));
                assertArrayEquals(data, Files.readAllBytes(m.src("data")));
            } finally {
                m.close();
            }
            recording.stop();
            recording.dump(jfr);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        Files.delete(jfr);
        assertTrue(events.stream().anyMatch(e -> e.getString("operation").equals("create")), "the recording works");
        assertTrue(events.stream().noneMatch(e -> e.getString("operation").equals("read")
                || e.getString("operation").equals("write")), "no READ or WRITE reached the server");
    }

    @Test
    void oneBackingIdPerInodeSharedByItsOpensAndFreedAtTheLastRelease() throws Exception {
        try (MountedSource m = mount()) {
            Files.writeString(m.src("f"), "hello");
            int before = m.mount.backingFiles();
            try (FileChannel ro = FileChannel.open(m.mnt("f"), StandardOpenOption.READ);
                    FileChannel rw = FileChannel.open(m.mnt("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertEquals(before + 1, m.mount.backingFiles());
                rw.write(ByteBuffer.wrap("HELLO, world".getBytes()), 0);
                ByteBuffer b = ByteBuffer.allocate(64);
                ro.read(b, 0);
                assertEquals("HELLO, world", new String(b.array(), 0, b.position()));
                // truncate and fallocate while open, seen by the other descriptor and on the source
                rw.truncate(5);
                assertEquals(5, ro.size());
                Shell.sh(m.mountpoint, "fallocate -l 1M f");
                assertEquals(1 << 20, ro.size());
                assertEquals(1 << 20, Files.size(m.src("f")));
            }
            // RELEASE comes after close(2) has returned: wait for it.
            for (long deadline = System.nanoTime() + 10_000_000_000L; m.mount.backingFiles() != before
                    && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            assertEquals(before, m.mount.backingFiles(), "freed with the last release");
        }
    }

    @Test
    void truncateAndAppendOnOpenAreAsOnTheBareDirectory() throws Exception {
        try (MountedSource m = mount()) {
            for (Path p : List.of(m.reference.resolve("f"), m.mnt("f"))) {
                Files.writeString(p, "0123456789");
                Files.writeString(p, "ab", StandardOpenOption.APPEND);
                Files.writeString(p, "xyz", StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                Files.writeString(p, "!", StandardOpenOption.APPEND);
            }
            assertEquals(Files.readString(m.reference.resolve("f")), Files.readString(m.mnt("f")));
            assertEquals("xyz!", Files.readString(m.src("f")));
        }
    }

    @Test
    void sharedMappingWritesAreSeenByAReaderAndAnUnlinkedFileStaysUsable() throws Exception {
        try (MountedSource m = mount()) {
            Files.write(m.mnt("map"), new byte[8192]);
            try (FileChannel rw = FileChannel.open(m.mnt("map"), StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileChannel reader = FileChannel.open(m.mnt("map"), StandardOpenOption.READ)) {
                // With passthrough the mapping is the backing file's: faults never come to this JVM's workers.
                MappedByteBuffer map = rw.map(FileChannel.MapMode.READ_WRITE, 0, 8192);
                map.put(4096, (byte) 42);
                map.force();
                ByteBuffer b = ByteBuffer.allocate(1);
                reader.read(b, 4096);
                assertEquals(42, b.get(0));
                Files.delete(m.mnt("map"));
                rw.write(ByteBuffer.wrap(new byte[] {7}), 0);
                b.clear();
                reader.read(b, 0);
                assertEquals(7, b.get(0));
            }
        }
    }

    @Test
    void thousandsOfOpenFilesGiveTheirBackingIdsAndDescriptorsBack() throws Exception {
        try (MountedSource m = mount()) {
            Shell.sh(m.source, "for i in $(seq 1 3000); do echo $i > f$i; done");
            // Looked up first: the inode table's own descriptors for them are not what is measured.
            Shell.sh(m.mountpoint, "ls -l > /dev/null");
            int ids = m.mount.backingFiles();
            int descriptors = openDescriptors();
            List<FileChannel> open = new ArrayList<>();
            try {
                for (int i = 1; i <= 3000; i++) {
                    open.add(FileChannel.open(m.mnt("f" + i), StandardOpenOption.READ));
                }
                assertEquals(ids + 3000, m.mount.backingFiles());
                ByteBuffer b = ByteBuffer.allocate(8);
                open.get(2999).read(b, 0);
                assertEquals("3000\n", new String(b.array(), 0, b.position()));
            } finally {
                for (FileChannel c : open) {
                    c.close();
                }
            }
            // Releases are asynchronous to close(2): wait for the last.
            for (long deadline = System.nanoTime() + 10_000_000_000L; m.mount.backingFiles() != ids
                    && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            assertEquals(ids, m.mount.backingFiles());
            for (long deadline = System.nanoTime() + 10_000_000_000L; openDescriptors() > descriptors
                    && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            assertTrue(openDescriptors() <= descriptors, "descriptors back to " + descriptors + ", not "
                    + openDescriptors() + ": " + Shell.sh(m.base, "ls -l /proc/" + ProcessHandle.current().pid()
                    + "/fd | awk '{print $NF}' | sed 's/[0-9]*$//' | sort | uniq -c | sort -rn | head -5"));
        }
    }

    @Test
    void oneFileOpenThroughPassthroughAndThroughADirectIoMountAtOnce() throws Exception {
        try (MountedSource m = mount()) {
            Path other = Files.createDirectory(m.base.resolve("direct"));
            PassthroughFs direct = PassthroughFs.open(m.source, PassthroughOptions.defaults().withDirectIo(true));
            try (org.panfuse.fs.lowlevel.FuseMount second = org.panfuse.fs.lowlevel.FuseMount.mount(direct, other,
                    MountOptions.defaults())) {
                assertTrue(!second.kernelPassthrough().inForce(), "direct I/O keeps data passing by the server");
                Files.writeString(m.mnt("shared"), "one");
                try (FileChannel a = FileChannel.open(m.mnt("shared"), StandardOpenOption.READ, StandardOpenOption.WRITE);
                        FileChannel b = FileChannel.open(other.resolve("shared"), StandardOpenOption.READ,
                                StandardOpenOption.WRITE)) {
                    b.write(ByteBuffer.wrap("TWO".getBytes()), 0);
                    ByteBuffer got = ByteBuffer.allocate(3);
                    a.read(got, 0);
                    assertEquals("TWO", new String(got.array()));
                    a.write(ByteBuffer.wrap("3".getBytes()), 3);
                    got = ByteBuffer.allocate(4);
                    b.read(got, 0);
                    assertEquals("TWO3", new String(got.array()));
                }
            }
        }
    }

    /** Descriptors open in this JVM, but libfuse's splice pipes (a pair per worker, made as workers start). */
    private static int openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.filter(fd -> {
                try {
                    return !Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (java.io.IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }
}
