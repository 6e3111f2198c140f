package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;

/** A full source filesystem: ENOSPC reaches the writer and what fsync acknowledged stays intact. */
class ResourceExhaustionTest {

    @Test
    void fullSourceAnswersEnospcAndKeepsFsyncedData() throws Exception {
        Path base = Files.createTempDirectory("panfuse-enospc-");
        Path source = Files.createDirectory(base.resolve("source"));
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        assertEquals("", Shell.sh(base, "mount -t tmpfs -o size=4m tmpfs " + source));
        try {
            PassthroughFs fs = PassthroughFs.open(source, PassthroughOptions.defaults());
            try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
                byte[] chunk = new byte[256 * 1024];
                Arrays.fill(chunk, (byte) 'a');
                long acknowledged = 0;
                String failure = null;
                try (FileChannel ch = FileChannel.open(mnt.resolve("fill"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    for (int i = 0; i < 64; i++) {
                        ch.write(ByteBuffer.wrap(chunk));
                        ch.force(true);
                        acknowledged = ch.position();
                    }
                } catch (IOException e) {
                    failure = e.getMessage();
                }
                assertTrue(failure != null && failure.contains("No space left on device"), "failure: " + failure);
                assertTrue(acknowledged > 0 && acknowledged <= 4L << 20, "acknowledged " + acknowledged);
                byte[] back = Files.readAllBytes(mnt.resolve("fill"));
                assertTrue(back.length >= acknowledged, back.length + " < " + acknowledged);
                for (int i = 0; i < acknowledged; i++) {
                    if (back[i] != 'a') {
                        throw new AssertionError("byte " + i + " of the fsync'd data changed");
                    }
                }
                // Room again: the mount serves writes again. The kernel closes the file and forgets the
                // unlinked inode asynchronously (RELEASE, FORGET), and only then does tmpfs free its pages.
                Files.delete(mnt.resolve("fill"));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (Files.getFileStore(source).getUsableSpace() < (1L << 20) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Files.writeString(mnt.resolve("after"), "room again");
                assertEquals("room again", Files.readString(source.resolve("after")));
            }
        } finally {
            Shell.sh(base, "umount " + source);
            MountedSource.deleteTree(base);
        }
    }
}
