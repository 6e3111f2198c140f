package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * Descriptors are accounted for: a mount leaves none behind, forgotten inodes
 * give theirs back, and the O_PATH cache keeps a tree far larger than itself
 * served within its bound.
 */
class DescriptorAccountingTest {

    private static long openDescriptors() throws IOException {
        return descriptors().size();
    }

    /** "fd -> target" for each open descriptor, to name the culprit when counts differ. */
    static java.util.List<String> descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException gone) {
                    return null; // the descriptor of the listing itself
                }
            }).filter(java.util.Objects::nonNull)
                    .filter(fd -> !fd.endsWith("/fd")) // the listing's own descriptor, whatever its number
                    .sorted().toList();
        }
    }

    private static void exercise(MountedSource m) throws IOException {
        Files.createDirectories(m.mnt("a/b/c"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(m.mnt("a/b/c/f" + i), "x" + i);
            Files.readString(m.mnt("a/b/c/f" + i));
        }
        Files.createSymbolicLink(m.mnt("a/link"), Path.of("b"));
        Files.createLink(m.mnt("a/hard"), m.mnt("a/b/c/f1"));
        try (Stream<Path> walk = Files.walk(m.mountpoint)) {
            walk.forEach(p -> { });
        }
    }

    private static java.util.List<String> withoutPipes(java.util.List<String> fds) {
        return fds.stream().filter(fd -> !fd.contains("pipe:")).toList();
    }

    @Test
    void unmountingLeavesNoDescriptorBehind() throws IOException {
        try (MountedSource warmup = MountedSource.mount()) {
            exercise(warmup); // loads classes, starts JVM-internal descriptors
        }
        var before = descriptors();
        try (MountedSource m = MountedSource.mount()) {
            exercise(m);
            assertTrue(openDescriptors() > before.size(), "the mount holds descriptors while mounted");
        }
        assertEquals(before, descriptors(), "descriptors after unmount");
    }

    @Test
    void hundredThousandFilesWithinABoundedDescriptorCache() throws Exception {
        int files = 100_000;
        int perDir = 1000;
        int cache = 512;
        try (MountedSource warmup = MountedSource.mount()) {
            exercise(warmup);
        }
        var beforeMount = descriptors();
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults().withFdCacheSize(cache),
                MountOptions.defaults())) {
            var baseline = withoutPipes(descriptors());
            int maxSeen = 0;
            for (int d = 0; d < files / perDir; d++) {
                Path dir = Files.createDirectory(m.mnt("d" + d));
                for (int i = 0; i < perDir; i++) {
                    Files.createFile(dir.resolve("f" + i));
                }
                maxSeen = Math.max(maxSeen, m.fs.openInodeDescriptors());
            }
            assertTrue(m.fs.knownInodes() > cache * 10, "the kernel knows " + m.fs.knownInodes() + " inodes");
            int listed = 0;
            long bytes = 0;
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(m.mountpoint)) {
                for (Path dir : dirs) {
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                        for (Path f : entries) {
                            bytes += Files.readAttributes(f, BasicFileAttributes.class).size();
                            listed++;
                        }
                    }
                    maxSeen = Math.max(maxSeen, m.fs.openInodeDescriptors());
                }
            }
            assertEquals(files, listed);
            assertEquals(0, bytes);
            assertTrue(maxSeen <= cache + 64, "O_PATH descriptors peaked at " + maxSeen + " for a cache of " + cache);

            for (int d = 0; d < files / perDir; d++) {
                Path dir = m.mnt("d" + d);
                for (int i = 0; i < perDir; i++) {
                    Files.delete(dir.resolve("f" + i));
                }
                Files.delete(dir);
            }
            assertEquals(1, m.dropKernelCachesAndAwait(1), "only the root is left once the kernel forgot the rest");
            assertEquals(1, m.fs.openInodeDescriptors());
            // libfuse keeps a splice pipe per worker thread until the thread ends: not ours to count.
            assertEquals(baseline, withoutPipes(descriptors()), "process descriptors back at the mounted baseline");
        }
        assertEquals(beforeMount, descriptors(), "descriptors after unmount");
    }
}
