package org.panfuse.examples.memtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;

/** An embedder's filesystem, mounted for real and read with ordinary Java I/O. */
class MemoryTreeFsTest {

    @Test
    void mountsAndReads() throws Exception {
        String big = "0123456789abcdef".repeat(20_000);
        MemoryTreeFs fs = MemoryTreeFs.builder()
                .file("hello.txt", "Hello from Java!\n")
                .file("docs/big.txt", big)
                .file("docs/deep/er/note.md", "# note\n")
                .symlink("docs/link", "../hello.txt")
                .directory("empty")
                .build();
        Path mnt = Files.createTempDirectory("panfuse-memtree-");
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults().withFsName("memtree"))) {
            assertEquals("Hello from Java!\n", Files.readString(mnt.resolve("hello.txt")));
            assertEquals(big, Files.readString(mnt.resolve("docs/big.txt")));
            assertEquals(big.length(), Files.size(mnt.resolve("docs/big.txt")));
            assertEquals("# note\n", Files.readString(mnt.resolve("docs/deep/er/note.md")));
            assertEquals(Path.of("../hello.txt"), Files.readSymbolicLink(mnt.resolve("docs/link")));
            assertEquals("Hello from Java!\n", Files.readString(mnt.resolve("docs/link")));
            try (Stream<Path> list = Files.list(mnt)) {
                assertEquals(List.of("docs", "empty", "hello.txt"),
                        list.map(p -> p.getFileName().toString()).sorted().toList());
            }
            try (Stream<Path> list = Files.list(mnt.resolve("empty"))) {
                assertEquals(0, list.count());
            }
            assertTrue(Files.isDirectory(mnt.resolve("docs/deep")));
            assertThrows(NoSuchFileException.class, () -> Files.readString(mnt.resolve("missing")));
            FileSystemException e = assertThrows(FileSystemException.class,
                    () -> Files.writeString(mnt.resolve("hello.txt"), "overwrite"));
            assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
            assertEquals("Hello from Java!\n", Files.readString(mnt.resolve("hello.txt")));
            assertTrue(mount.operations().containsAll(List.of("lookup", "getattr", "read", "readdir")));
        } finally {
            Files.deleteIfExists(mnt);
        }
    }
}
