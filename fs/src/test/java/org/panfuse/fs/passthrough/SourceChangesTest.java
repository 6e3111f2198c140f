package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * The source changes behind the mount's back: stale names answer ENOENT or
 * ESTALE, nothing crashes, and fresh lookups see the new state.
 */
class SourceChangesTest {

    @Test
    void addedRemovedRenamedAndReplacedEntries() throws Exception {
        // Uncached, so that every access asks the filesystem (with caching the kernel may answer from its cache).
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults().withCache(CachePolicy.NEVER),
                MountOptions.defaults())) {
            Files.createDirectories(m.src("dir/sub"));
            Files.writeString(m.src("dir/file"), "v1");
            Files.writeString(m.src("gone"), "x");
            Files.writeString(m.src("moved"), "m");
            assertEquals(Set.of("dir", "gone", "moved"), Set.copyOf(TreeSnapshot.names(m.mountpoint)));
            assertEquals("v1", Files.readString(m.mnt("dir/file")));

            Files.delete(m.src("gone"));
            Files.move(m.src("moved"), m.src("dir/moved-here"));
            Files.writeString(m.src("added"), "new");
            Files.delete(m.src("dir/file"));
            Files.createDirectory(m.src("dir/file")); // a file replaced by a directory
            Files.writeString(m.src("dir/file/inside"), "in");
            Files.delete(m.src("dir/sub"));
            Files.writeString(m.src("dir/sub"), "a file now"); // a directory replaced by a file

            assertEquals("ENOENT", Posix.lstat(m.mnt("gone")));
            assertEquals("ENOENT", Posix.lstat(m.mnt("moved")));
            assertEquals("ok new", "ok " + Files.readString(m.mnt("added")));
            assertEquals("m", Files.readString(m.mnt("dir/moved-here")));
            assertTrue(Files.isDirectory(m.mnt("dir/file")));
            assertEquals("in", Files.readString(m.mnt("dir/file/inside")));
            assertTrue(Files.isRegularFile(m.mnt("dir/sub")));
            assertEquals("a file now", Files.readString(m.mnt("dir/sub")));
            assertEquals(Set.of("added", "dir"), Set.copyOf(TreeSnapshot.names(m.mountpoint)));
            assertEquals(Set.of("file", "moved-here", "sub"), Set.copyOf(TreeSnapshot.names(m.mnt("dir"))));
        }
    }

    @Test
    void openFileWhoseDirectoryIsRemovedBehindTheMount() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults().withCache(CachePolicy.NEVER),
                MountOptions.defaults())) {
            Files.createDirectories(m.src("d"));
            try (FileChannel ch = FileChannel.open(m.mnt("d/f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                ch.write(ByteBuffer.wrap("still here".getBytes()));
                MountedSource.deleteTree(m.src("d"));
                ByteBuffer back = ByteBuffer.allocate(10);
                ch.read(back, 0);
                assertEquals("still here", new String(back.array()));
            }
            String outcome = Posix.lstat(m.mnt("d/f"));
            assertTrue(List.of("ENOENT", "ESTALE").contains(outcome), outcome);
            Files.createDirectories(m.mnt("d"));
            Files.writeString(m.mnt("d/f"), "fresh");
            assertEquals("fresh", Files.readString(m.src("d/f")));
        }
    }

    @Test
    void sourceRootReplacedBySymlinkAfterMountKeepsServingTheOriginal() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Files.writeString(m.src("mine"), "original");
            Path moved = m.base.resolve("source-moved");
            Files.move(m.source, moved);
            Files.createSymbolicLink(m.source, Path.of("/etc"));
            // The mount holds the original directory itself, not its name: /etc is never reached.
            assertEquals(List.of("mine"), TreeSnapshot.names(m.mountpoint));
            assertEquals("original", Files.readString(m.mnt("mine")));
            assertEquals("ENOENT", Posix.lstat(m.mnt("passwd")));
            Files.delete(m.source);
            Files.move(moved, m.source);
        }
    }
}
