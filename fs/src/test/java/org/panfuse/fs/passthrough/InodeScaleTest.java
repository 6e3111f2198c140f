package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * Memory and descriptors per inode the kernel knows, measured with many
 * inodes looked up, and back to baseline once the kernel forgets them. CI
 * uses 200,000 inodes; the long run (bin/exercise.sh --scale) 1,000,000.
 *
 * <p>Bounds: at most {@value #HEAP_BYTES_PER_INODE} bytes of heap and
 * {@value #RSS_BYTES_PER_INODE} bytes of resident memory per known inode (the
 * latter includes the heap's growth), the O_PATH descriptors within the cache, and
 * once the kernel forgets them, at most {@value #RETAINED_BYTES_PER_PEAK_INODE}
 * bytes per peak inode left in the heap (the hash tables' capacity).
 */
class InodeScaleTest {
    static final int HEAP_BYTES_PER_INODE = 400;
    static final int RSS_BYTES_PER_INODE = 1024;
    static final int RETAINED_BYTES_PER_PEAK_INODE = 64;
    private static final int INODES = Integer.getInteger("scale.inodes", 200_000);

    private static long heapUsed() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void memoryPerKnownInodeIsBoundedAndReturns() throws Exception {
        int perDir = 1000;
        int cache = 4096;
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults().withFdCacheSize(cache)
                .withCache(CachePolicy.ALWAYS), MountOptions.defaults())) {
            // Made in the source directly (fast); looked up through the mount.
            for (int d = 0; d < INODES / perDir; d++) {
                Path dir = Files.createDirectory(m.src("d" + d));
                for (int i = 0; i < perDir; i++) {
                    Files.createFile(dir.resolve("f" + i));
                }
            }
            long heapBefore = heapUsed();
            long rssBefore = rss();
            for (int d = 0; d < INODES / perDir; d++) {
                for (int i = 0; i < perDir; i++) {
                    Files.readAttributes(m.mnt("d" + d + "/f" + i), BasicFileAttributes.class);
                }
            }
            int known = m.fs.knownInodes();
            assertTrue(known >= INODES, "known inodes: " + known);
            long heapPerInode = (heapUsed() - heapBefore) / known;
            long rssPerInode = (rss() - rssBefore) / known;
            System.out.printf("%d inodes known: %d heap bytes and %d resident bytes per inode, %d O_PATH descriptors%n",
                    known, heapPerInode, rssPerInode, m.fs.openInodeDescriptors());
            assertTrue(heapPerInode <= HEAP_BYTES_PER_INODE, heapPerInode + " heap bytes per inode");
            assertTrue(rssPerInode <= RSS_BYTES_PER_INODE, rssPerInode + " resident bytes per inode");
            assertTrue(m.fs.openInodeDescriptors() <= cache + 64, m.fs.openInodeDescriptors() + " descriptors");

            assertEquals(1, m.dropKernelCachesAndAwait(1), "forgotten by the kernel, gone from the table");
            assertEquals(1, m.fs.openInodeDescriptors());
            // What stays is the two hash tables' bucket arrays, which ConcurrentHashMap keeps at their
            // high-water size (about 25 bytes per inode at the peak): capacity, not inodes.
            long retained = heapUsed() - heapBefore;
            assertTrue(retained < (long) RETAINED_BYTES_PER_PEAK_INODE * known,
                    "heap back near its baseline: " + (retained >> 10) + " KiB above");
        }
    }
}
