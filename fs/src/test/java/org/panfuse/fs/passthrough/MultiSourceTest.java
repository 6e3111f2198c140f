package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;
import org.panfuse.fs.tree.SourceSpec;

/**
 * Several sources under one mountpoint: the virtual root, inode numbers that
 * are unique across sources and the same after a remount, excludes,
 * one_file_system, read-only sources that leave atime alone.
 */
class MultiSourceTest {
    private Path base;
    private Path mnt;
    private final List<Path> tmpfsMounts = new ArrayList<>();

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-multi-");
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Path p : tmpfsMounts.reversed()) {
            Shell.sh(Path.of("/"), "umount -l " + p);
        }
        MountedSource.deleteTree(base);
    }

    /** A fresh tmpfs: each numbers its inodes from the same start, so two of them collide. */
    private Path tmpfs(String name) throws Exception {
        Path p = Files.createDirectories(base.resolve(name));
        Shell.sh(Path.of("/"), "taskset -c 0 mount -t tmpfs tmpfs " + p);
        tmpfsMounts.add(p);
        return p;
    }

    private FuseMount mount(List<SourceSpec> sources) {
        return mount(sources, PassthroughOptions.defaults());
    }

    private FuseMount mount(List<SourceSpec> sources, PassthroughOptions options) {
        PassthroughFs fs = PassthroughFs.open(sources, options, 1_700_000_000L, 123_000_000L);
        return FuseMount.mount(fs, mnt, MountOptions.defaults());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void theRootIsAReadOnlyDirectoryWithOneEntryPerSourceInOrder() throws Exception {
        Path a = Files.createDirectories(base.resolve("a"));
        Path b = Files.createDirectories(base.resolve("b"));
        Files.writeString(a.resolve("f"), "in a");
        try (FuseMount m = mount(List.of(SourceSpec.of("zeta", a), SourceSpec.of("alpha", b)))) {
            assertEquals(List.of("zeta", "alpha"), list(mnt), "config order, not sorted");
            assertEquals("in a", Files.readString(mnt.resolve("zeta/f")));
            assertEquals("dr-xr-xr-x", Shell.sh(mnt, "stat -c %A .").strip());
            assertEquals("0 0 1700000000 1700000000", Shell.sh(mnt, "stat -c '%u %g %Y %Z' .").strip());
            assertEquals("1", Shell.sh(mnt, "stat -c %i .").strip());
            assertEquals("4", Shell.sh(mnt, "stat -c %h .").strip());
            assertEquals(Shell.sh(mnt, "stat -c %i .").strip(), Shell.sh(mnt, "cd zeta/.. && stat -c %i .").strip());
            // Nothing is made, removed or renamed at the root.
            assertThrows(FileSystemException.class, () -> Files.createDirectory(mnt.resolve("new")));
            assertTrue(Shell.run(mnt, Map.of(), "touch", "new").output().contains("Read-only file system"));
            assertTrue(Shell.run(mnt, Map.of(), "rmdir", "alpha").output().contains("Read-only file system"));
            assertTrue(Shell.run(mnt, Map.of(), "mv", "alpha", "beta").output().contains("Read-only file system"));
            assertTrue(Shell.run(mnt, Map.of(), "chmod", "777", ".").output().contains("Read-only file system"));
            // Sources are filesystems of their own: a rename between them is EXDEV (mv copies instead).
            assertThrows(java.nio.file.AtomicMoveNotSupportedException.class, () -> Files.move(mnt.resolve("zeta/f"),
                    mnt.resolve("alpha/f"), java.nio.file.StandardCopyOption.ATOMIC_MOVE), "rename(2) gives EXDEV");
            Shell.sh(mnt, "mv zeta/f alpha/f");
            assertEquals("in a", Files.readString(b.resolve("f")));
            assertTrue(Files.notExists(a.resolve("f")));
        }
    }

    @Test
    void inodeNumbersAreUniqueAcrossSourcesEqualForHardLinksAndTheSameAfterARemount() throws Exception {
        Path one = tmpfs("one");
        Path two = tmpfs("two");
        for (Path src : List.of(one, two)) {
            // On one CPU: tmpfs hands out inode numbers in per-CPU batches, so both then number alike.
            Shell.sh(src, "taskset -c 0 sh -c 'mkdir -p d/e && for i in 1 2 3 4 5 6 7 8; do echo $i > f$i;"
                    + " echo $i > d/e/g$i; done && ln f1 hard && ln -s f1 sym'");
        }
        // The premise: the two sources' own numbers collide.
        assertEquals(Shell.sh(one, "find . -mindepth 1 -exec stat -c %i {} + | sort"),
                Shell.sh(two, "find . -mindepth 1 -exec stat -c %i {} + | sort"));
        List<SourceSpec> sources = List.of(SourceSpec.of("one", one), SourceSpec.of("two", two));
        Map<String, String> first;
        try (FuseMount m = mount(sources)) {
            first = numbers();
        }
        Set<String> unique = new HashSet<>(first.values());
        long links = first.keySet().stream().filter(k -> k.endsWith("/hard")).count();
        assertEquals(first.size() - links, unique.size(), "unique across sources but for hard links: " + first);
        assertEquals(first.get("./one/f1"), first.get("./one/hard"));
        assertNotEquals(first.get("./one/f1"), first.get("./two/f1"));
        try (FuseMount m = mount(sources)) {
            assertEquals(first, numbers(), "the same numbers after a remount");
        }
    }

    private Map<String, String> numbers() throws Exception {
        Map<String, String> byPath = new HashMap<>();
        for (String line : Shell.sh(mnt, "find . -mindepth 1 -exec stat -c '%n %i' {} +").strip().split("\n")) {
            String[] f = line.split(" ");
            byPath.put(f[0], f[1]);
        }
        return byPath;
    }

    @Test
    void excludedEntriesAreNotListedDoNotResolveAndCannotBeMade() throws Exception {
        Path src = Files.createDirectories(base.resolve("src"));
        Shell.sh(src, "mkdir -p cache logs/old sub/cache keep && touch a.tmp sub/b.tmp keep/c.tmp keep.txt"
                + " cache/x logs/old/y sub/cache/z note.tmp.txt");
        List<String> excludes = List.of("*.tmp", "/cache", "logs/", "!keep/c.tmp");
        try (FuseMount m = mount(List.of(new SourceSpec("s", src, false, excludes, false)))) {
            Path s = mnt.resolve("s");
            assertEquals(List.of(".", "./keep", "./keep.txt", "./keep/c.tmp", "./note.tmp.txt", "./sub", "./sub/cache",
                    "./sub/cache/z"), List.of(Shell.sh(s, "find . | LC_ALL=C sort").strip().split("\n")));
            assertThrows(NoSuchFileException.class, () -> Files.readAttributes(s.resolve("a.tmp"),
                    java.nio.file.attribute.BasicFileAttributes.class));
            assertThrows(NoSuchFileException.class, () -> Files.readAttributes(s.resolve("cache/x"),
                    java.nio.file.attribute.BasicFileAttributes.class));
            assertThrows(NoSuchFileException.class, () -> Files.list(s.resolve("logs")).close());
            // Making an excluded name through the mount is refused: it would vanish as it appears.
            assertTrue(assertThrows(FileSystemException.class, () -> Files.writeString(s.resolve("new.tmp"), "x"))
                    .getMessage().contains("Operation not permitted"));
            assertTrue(Shell.run(s, Map.of(), "mkdir", "cache").output().contains("Operation not permitted"));
            assertTrue(Shell.run(s, Map.of(), "mv", "keep.txt", "renamed.tmp").output()
                    .contains("Operation not permitted"));
            assertTrue(Files.notExists(src.resolve("new.tmp")) && Files.exists(src.resolve("keep.txt")));
            // Everything else is as usual.
            Files.writeString(s.resolve("new.txt"), "fine");
            assertEquals("fine", Files.readString(src.resolve("new.txt")));
        }
    }

    @Test
    void oneFileSystemShowsMountPointsInsideAsEmptyDirectories() throws Exception {
        Path src = Files.createDirectories(base.resolve("src"));
        Files.writeString(src.resolve("top"), "t");
        Path inner = tmpfs("src/inner");
        Files.writeString(inner.resolve("hidden"), "on another filesystem");
        try (FuseMount m = mount(List.of(new SourceSpec("x", src, false, List.of(), true),
                SourceSpec.of("y", inner)))) {
            assertEquals(List.of(), list(mnt.resolve("x/inner")), "the mount point is an empty directory");
            assertTrue(Files.isDirectory(mnt.resolve("x/inner")));
            assertThrows(NoSuchFileException.class, () -> Files.readString(mnt.resolve("x/inner/hidden")));
            assertTrue(Shell.run(mnt, Map.of(), "touch", "x/inner/new").output().contains("Read-only file system"));
            assertEquals("t", Files.readString(mnt.resolve("x/top")));
            // The same filesystem as a source of its own is served in full.
            assertEquals("on another filesystem", Files.readString(mnt.resolve("y/hidden")));
        }
        try (FuseMount m = mount(List.of(SourceSpec.of("x", src)))) {
            assertEquals("on another filesystem", Files.readString(mnt.resolve("x/inner/hidden")),
                    "without one_file_system, mounts inside are crossed");
        }
    }

    @Test
    void readOnlySourcesRefuseChangesAndReadsLeaveAtimeAlone() throws Exception {
        Path ro = Files.createDirectories(base.resolve("ro"));
        Path rw = Files.createDirectories(base.resolve("rw"));
        Files.writeString(ro.resolve("f"), "data");
        Files.createDirectory(ro.resolve("d"));
        FileTime old = FileTime.fromMillis(946_684_800_000L); // 2000-01-01: relatime would update it on a read
        Files.setAttribute(ro.resolve("f"), "lastAccessTime", old);
        Files.setAttribute(ro.resolve("d"), "lastAccessTime", old);
        Files.writeString(rw.resolve("g"), "data");
        Files.setAttribute(rw.resolve("g"), "lastAccessTime", old);
        try (FuseMount m = mount(List.of(new SourceSpec("ro", ro, true, List.of(), false), SourceSpec.of("rw", rw)),
                PassthroughOptions.defaults().withCache(CachePolicy.NEVER))) {
            assertEquals("data", Files.readString(mnt.resolve("ro/f")));
            list(mnt.resolve("ro/d"));
            for (String change : List.of("echo x > ro/f", "touch ro/new", "rm ro/f", "mkdir ro/e", "chmod 600 ro/f",
                    "mv ro/f ro/g", "setfattr -n user.a -v b ro/f", "truncate -s 0 ro/f")) {
                Shell.Result r = Shell.run(mnt, Map.of(), "sh", "-c", change);
                assertTrue(r.exit() != 0 && r.output().contains("Read-only file system"), change + ": " + r);
            }
            assertEquals("data", Files.readString(mnt.resolve("rw/g")));
        }
        assertEquals(old, Files.getAttribute(ro.resolve("f"), "lastAccessTime"), "a read-only source's atime");
        assertEquals(old, Files.getAttribute(ro.resolve("d"), "lastAccessTime"), "and its directories'");
        assertNotEquals(old, Files.getAttribute(rw.resolve("g"), "lastAccessTime"), "a read-write source's, as usual");
        assertEquals("data", Files.readString(ro.resolve("f")));
    }
}
