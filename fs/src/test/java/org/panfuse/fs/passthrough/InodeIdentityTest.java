package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * An inode is the source object, not its number. On ext4, which hands the
 * number of a deleted file to the next file made, a file replaced behind the
 * mount's back is a new inode through the mount, even when the old one's
 * descriptor has been closed to make room (a 16-descriptor cache here): no
 * ESTALE, the new contents.
 */
class InodeIdentityTest {
    private static final int FILES = 300;

    @Test
    void reusedInodeNumbersAreNewInodesNotStaleOnes() throws Exception {
        try (MountedSource m = MountedSource.mountOnExt4(
                PassthroughOptions.defaults().withFdCacheSize(16).withCache(CachePolicy.NEVER), MountOptions.defaults())) {
            Files.createDirectory(m.src("d"));
            Set<Long> before = new HashSet<>();
            for (int i = 0; i < FILES; i++) {
                Files.writeString(m.src("d/f" + i), "old " + i);
            }
            for (int i = 0; i < FILES; i++) {
                assertEquals("old " + i, Files.readString(m.mnt("d/f" + i)));
                before.add((Long) Files.getAttribute(m.src("d/f" + i), "unix:ino"));
            }
            for (int round = 0; round < 3; round++) {
                // Behind the mount: every file deleted and made again, most under a number just freed.
                for (int i = 0; i < FILES; i++) {
                    Files.delete(m.src("d/f" + i));
                }
                Set<Long> reused = new HashSet<>();
                for (int i = 0; i < FILES; i++) {
                    Files.writeString(m.src("d/f" + i), "round " + round + " file " + i);
                    long ino = (Long) Files.getAttribute(m.src("d/f" + i), "unix:ino");
                    if (before.contains(ino)) {
                        reused.add(ino);
                    }
                }
                assertTrue(reused.size() > FILES / 2, "ext4 reused only " + reused.size() + " inode numbers");
                for (int i = 0; i < FILES; i++) {
                    assertEquals("round " + round + " file " + i, Files.readString(m.mnt("d/f" + i)), "d/f" + i);
                }
            }
            assertTrue(m.fs.openInodeDescriptors() <= 16 + 2, "descriptors: " + m.fs.openInodeDescriptors());
        }
    }
}
