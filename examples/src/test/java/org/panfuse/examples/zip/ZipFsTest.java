package org.panfuse.examples.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * A ZIP archive made with the JDK's ZIP filesystem (compressed and stored
 * entries, Unix permissions, modification times), mounted with {@link ZipFs}:
 * the mount shows what the archive holds, as the JDK reads the archive itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZipFsTest {
    private static final Instant WHEN = Instant.parse("2024-05-06T07:08:10Z");

    @TempDir
    Path tmp;

    private Path archive(byte[] random) throws IOException {
        Path zip = tmp.resolve("test.zip");
        try (FileSystem z = FileSystems.newFileSystem(zip, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            Path hello = z.getPath("/hello.txt");
            Files.writeString(hello, "Hello from a ZIP!\n");
            Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rw-r-----"));
            Files.setLastModifiedTime(hello, FileTime.from(WHEN));
            Files.createDirectories(z.getPath("/bin"));
            Path run = z.getPath("/bin/run.sh");
            Files.writeString(run, "#!/bin/sh\necho hi\n");
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(z.getPath("/data/many"));
            Files.write(z.getPath("/data/random.bin"), random);
            for (int i = 0; i < 600; i++) {
                Files.writeString(z.getPath("/data/many/entry-with-a-longish-name-" + i), Integer.toString(i));
            }
        }
        return zip;
    }

    @Test
    void theMountShowsTheArchive() throws Exception {
        byte[] random = new byte[3 << 20];
        new Random(42).nextBytes(random);
        Path zip = archive(random);
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        try (ZipFs fs = new ZipFs(zip);
                FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults().withReadOnly(true).withFsName("zip"));
                FileSystem z = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"))) {
            // Reads at offsets, forwards and backwards, within one open file, before anything is in the page cache.
            Random r = new Random(7);
            try (FileChannel ch = FileChannel.open(mnt.resolve("data/random.bin"))) {
                for (int i = 0; i < 50; i++) {
                    int off = r.nextInt(random.length);
                    int len = Math.min(r.nextInt(200_000) + 1, random.length - off);
                    ByteBuffer b = ByteBuffer.allocate(len);
                    while (b.hasRemaining() && ch.read(b, off + b.position()) > 0) {
                        // a short read continues
                    }
                    assertArrayEquals(java.util.Arrays.copyOfRange(random, off, off + len), b.array(), "at " + off);
                }
                assertEquals(-1, ch.read(ByteBuffer.allocate(10), random.length + 5));
            }

            // Every path: the same type, size, permissions and mtime as the JDK reads from the archive.
            List<Path> inArchive;
            try (Stream<Path> s = Files.walk(z.getPath("/"))) {
                inArchive = s.toList();
            }
            for (Path p : inArchive) {
                Path m = mnt.resolve(p.toString().substring(1));
                PosixFileAttributes want = Files.readAttributes(p, PosixFileAttributes.class);
                PosixFileAttributes got = Files.readAttributes(m, PosixFileAttributes.class);
                assertEquals(want.isDirectory(), got.isDirectory(), m.toString());
                if (!want.isDirectory()) {
                    assertEquals(want.size(), got.size(), m.toString());
                    assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(m), m.toString());
                }
                assertEquals(want.permissions(), got.permissions(), m.toString());
                if (p.getNameCount() > 0) { // the root has no entry in the archive
                    assertEquals(want.lastModifiedTime(), got.lastModifiedTime(), m.toString());
                }
            }
            try (Stream<Path> s = Files.walk(mnt)) {
                assertEquals(inArchive.size(), s.count(), "no path more, none less");
            }
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(mnt.resolve("hello.txt"))));
            assertEquals(FileTime.from(WHEN), Files.getLastModifiedTime(mnt.resolve("hello.txt")));
            assertTrue(Files.isExecutable(mnt.resolve("bin/run.sh")));
            assertEquals(Files.getLastModifiedTime(zip), Files.getLastModifiedTime(mnt));

            // A listing longer than one readdir buffer: every name once, in the archive's order of names.
            List<String> names = new ArrayList<>();
            try (Stream<Path> s = Files.list(mnt.resolve("data/many"))) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            }
            assertEquals(600, names.size());
            assertEquals(600, names.stream().distinct().count());

            assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.size(mnt.resolve("missing")));
            FileSystemException e = assertThrows(FileSystemException.class,
                    () -> Files.writeString(mnt.resolve("hello.txt"), "x"));
            assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
            assertTrue(mount.isServing());
        }
    }
}
