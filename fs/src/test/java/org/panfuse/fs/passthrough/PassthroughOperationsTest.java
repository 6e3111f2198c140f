package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;
import static org.panfuse.fs.passthrough.Posix.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the passthrough, run on a bare reference tree and
 * through the mount: the same value or errno, and in the end the same tree.
 */
class PassthroughOperationsTest {
    private MountedSource m;

    @BeforeEach
    void mount() throws Exception {
        m = mountUnderTest();
    }

    /** The mount the operations run through: one source; a subclass puts it among several. */
    MountedSource mountUnderTest() throws Exception {
        return MountedSource.mount();
    }

    @AfterEach
    void unmount() throws Exception {
        m.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lookupAndGetattr() throws Exception {
        m.same("create file", r -> open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0640));
        m.same("stat file", r -> lstat(r.resolve("f")));
        m.same("stat missing", r -> lstat(r.resolve("missing")));
        m.same("stat below a file", r -> lstat(r.resolve("f/x")));
        m.same("stat root", r -> stat(r));
        m.same("dot-dot at the root stays inside", r -> stat(r.resolve("..").resolve(r.getFileName())));
        m.assertTreesEqual();
    }

    @Test
    void mkdirRmdir() throws Exception {
        m.same("mkdir", r -> mkdir(r.resolve("d"), 0750));
        m.same("mkdir existing", r -> mkdir(r.resolve("d"), 0750));
        m.same("mkdir in missing parent", r -> mkdir(r.resolve("nope/d"), 0755));
        m.same("mkdir nested", r -> mkdir(r.resolve("d/e"), 0700));
        m.same("rmdir non-empty", r -> rmdir(r.resolve("d")));
        m.same("file in dir", r -> open(r.resolve("d/f"), O_CREAT() | O_WRONLY(), 0600));
        m.same("rmdir a file", r -> rmdir(r.resolve("d/f")));
        m.same("rmdir empty", r -> rmdir(r.resolve("d/e")));
        m.same("rmdir missing", r -> rmdir(r.resolve("d/e")));
        m.same("stat after rmdir", r -> lstat(r.resolve("d")));
        m.assertTreesEqual();
    }

    @Test
    void unlinkAndCreate() throws Exception {
        m.same("create", r -> open(r.resolve("f"), O_CREAT() | O_EXCL() | O_WRONLY(), 0644));
        m.same("exclusive create of existing", r -> open(r.resolve("f"), O_CREAT() | O_EXCL() | O_WRONLY(), 0644));
        m.same("open missing", r -> open(r.resolve("g"), O_RDONLY(), 0));
        m.same("open directory for writing", r -> open(r, O_WRONLY(), 0));
        m.same("open O_DIRECTORY on a file", r -> open(r.resolve("f"), O_RDONLY() | O_DIRECTORY(), 0));
        m.same("mkdir", r -> mkdir(r.resolve("d"), 0755));
        m.same("unlink a directory", r -> unlink(r.resolve("d")));
        m.same("unlink", r -> unlink(r.resolve("f")));
        m.same("unlink again", r -> unlink(r.resolve("f")));
        m.assertTreesEqual();
    }

    @Test
    void symlinks() throws Exception {
        m.same("absolute target", r -> symlink("/etc/hostname", r.resolve("abs")));
        m.same("relative target", r -> symlink("../x/y", r.resolve("rel")));
        m.same("dangling", r -> symlink("nowhere", r.resolve("dangling")));
        m.same("readlink absolute unchanged", r -> readlink(r.resolve("abs")));
        m.same("readlink relative", r -> readlink(r.resolve("rel")));
        m.same("readlink a regular file", r -> {
            open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0644);
            return readlink(r.resolve("f"));
        });
        m.same("lstat link", r -> lstat(r.resolve("rel")));
        m.same("stat dangling", r -> stat(r.resolve("dangling")));
        m.same("symlink over existing", r -> symlink("x", r.resolve("abs")));
        assertEquals("ok /etc/hostname", readlink(m.mnt("abs")));
        m.assertTreesEqual();
    }

    @Test
    void renames() throws Exception {
        m.same("setup a", r -> pwrite(r.resolve("a"), 0, bytes("aaa")));
        m.same("setup b", r -> pwrite(r.resolve("b"), 0, bytes("bb")));
        m.same("setup dir", r -> mkdir(r.resolve("d"), 0755));
        m.same("setup full dir", r -> mkdir(r.resolve("full"), 0755) + open(r.resolve("full/x"), O_CREAT() | O_WRONLY(), 0644));
        m.same("create files", r -> open(r.resolve("a"), O_CREAT() | O_WRONLY(), 0644) + open(r.resolve("b"), O_CREAT() | O_WRONLY(), 0644));
        m.same("write a", r -> pwrite(r.resolve("a"), 0, bytes("aaa")));
        m.same("write b", r -> pwrite(r.resolve("b"), 0, bytes("bb")));
        m.same("noreplace onto existing", r -> rename(r.resolve("a"), r.resolve("b"), RENAME_NOREPLACE()));
        m.same("exchange", r -> rename(r.resolve("a"), r.resolve("b"), RENAME_EXCHANGE()));
        m.same("read a after exchange", r -> pread(r.resolve("a"), 0, 10));
        m.same("exchange with missing", r -> rename(r.resolve("a"), r.resolve("zz"), RENAME_EXCHANGE()));
        m.same("replace", r -> rename(r.resolve("a"), r.resolve("b"), 0));
        m.same("old name gone", r -> lstat(r.resolve("a")));
        m.same("into directory", r -> rename(r.resolve("b"), r.resolve("d/b"), 0));
        m.same("file over directory", r -> rename(r.resolve("d/b"), r.resolve("full"), 0));
        m.same("directory over non-empty directory", r -> rename(r.resolve("d"), r.resolve("full"), 0));
        m.same("directory into itself", r -> rename(r.resolve("d"), r.resolve("d/sub"), 0));
        m.same("missing source", r -> rename(r.resolve("nope"), r.resolve("x"), 0));
        m.same("directory rename", r -> rename(r.resolve("d"), r.resolve("e"), 0));
        m.same("read moved file", r -> pread(r.resolve("e/b"), 0, 10));
        m.assertTreesEqual();
    }

    @Test
    void hardLinks() throws Exception {
        m.same("create", r -> pwrite(r.resolve("f"), 0, bytes("x")) + open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0644));
        m.same("write", r -> pwrite(r.resolve("f"), 0, bytes("data")));
        m.same("link", r -> link(r.resolve("f"), r.resolve("g")));
        m.same("link onto existing", r -> link(r.resolve("f"), r.resolve("g")));
        m.same("link a directory", r -> mkdir(r.resolve("d"), 0755) + link(r.resolve("d"), r.resolve("d2")));
        m.same("nlink of both", r -> lstat(r.resolve("f")) + " | " + lstat(r.resolve("g")));
        m.same("write through one, read through other", r -> pwrite(r.resolve("g"), 4, bytes("more")) + pread(r.resolve("f"), 0, 100));
        m.same("unlink one", r -> unlink(r.resolve("f")) + lstat(r.resolve("g")));
        try (var a = java.lang.foreign.Arena.ofConfined()) {
            link(m.mnt("g"), m.mnt("h"));
            long g = org.panfuse.bindings.stat.st_ino(statOf(a, m.mnt("g"), false));
            long h = org.panfuse.bindings.stat.st_ino(statOf(a, m.mnt("h"), false));
            assertEquals(g, h, "hard links are one inode through the mount");
            long source = org.panfuse.bindings.stat.st_ino(statOf(a, m.src("g"), false));
            if (m.mountpoint.getFileName().toString().equals(MountedSource.TESTED)) {
                // Second of three sources, on its own filesystem: tag 2 in the top byte, the source's number below.
                assertEquals((2L << 56) | source, g, "inode number is the source's, tagged with the source");
            } else {
                assertEquals(source, g, "inode number is the source's");
            }
        }
        link(m.reference.resolve("g"), m.reference.resolve("h"));
        m.assertTreesEqual();
    }

    @Test
    void specialFiles() throws Exception {
        m.same("fifo", r -> mknod(r.resolve("fifo"), S_IFIFO() | 0640, 0));
        m.same("char device 1,3", r -> mknod(r.resolve("null"), S_IFCHR() | 0600, (1 << 8) | 3));
        m.same("socket node", r -> mknod(r.resolve("sock"), S_IFSOCK() | 0600, 0));
        m.same("mknod existing", r -> mknod(r.resolve("fifo"), S_IFIFO() | 0640, 0));
        m.same("regular via mknod", r -> mknod(r.resolve("reg"), S_IFREG() | 0600, 0));
        m.assertTreesEqual();
    }

    @Test
    void attributes() throws Exception {
        m.same("create", r -> open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0644));
        m.same("write", r -> pwrite(r.resolve("f"), 0, bytes("0123456789")));
        m.same("chmod", r -> chmod(r.resolve("f"), 0600) + lstat(r.resolve("f")));
        m.same("chmod setuid", r -> chmod(r.resolve("f"), 04755) + lstat(r.resolve("f")));
        m.same("chown", r -> chown(r.resolve("f"), 1234, 5678, false) + lstat(r.resolve("f")));
        m.same("chown uid only", r -> chown(r.resolve("f"), 42, -1, false) + lstat(r.resolve("f")));
        m.same("symlink for lchown", r -> symlink("f", r.resolve("l")));
        m.same("lchown symlink", r -> chown(r.resolve("l"), 7, 8, false) + lstat(r.resolve("l")) + lstat(r.resolve("f")));
        m.same("truncate shorter", r -> truncate(r.resolve("f"), 4) + pread(r.resolve("f"), 0, 100));
        m.same("truncate longer", r -> truncate(r.resolve("f"), 10000) + lstat(r.resolve("f")));
        m.same("truncate negative", r -> truncate(r.resolve("f"), -1));
        m.same("truncate a directory", r -> mkdir(r.resolve("d"), 0755) + truncate(r.resolve("d"), 0));
        m.same("utimens explicit", r -> utimens(r.resolve("f"), 1000, 5, 2000, 7, true) + " " + times(r.resolve("f")));
        m.same("utimens omit atime", r -> utimens(r.resolve("f"), 0, UTIME_OMIT(), 3000, 9, true) + " " + times(r.resolve("f")));
        m.same("utimens symlink itself", r -> utimens(r.resolve("l"), 11, 0, 22, 0, false) + " " + times(r.resolve("l")));
        m.same("utimens directory", r -> utimens(r.resolve("d"), 5, 0, 6, 0, true) + " " + times(r.resolve("d")));
        m.same("utimens missing", r -> utimens(r.resolve("nope"), 5, 0, 6, 0, true));
        // UTIME_NOW: both clocks move to "now", which differs by microseconds between the two runs.
        long before = System.currentTimeMillis() / 1000 - 1;
        assertEquals("ok", utimens(m.mnt("f"), 0, UTIME_NOW(), 0, UTIME_NOW(), true));
        long mtime = Long.parseLong(times(m.mnt("f")).split(" ")[1].split("\\.")[0]);
        assertTrue(mtime >= before, "UTIME_NOW set mtime " + mtime);
        utimens(m.reference.resolve("f"), 0, UTIME_NOW(), 0, UTIME_NOW(), true);
        m.assertTreesEqual();
    }

    @Test
    void readWrite() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(42).nextBytes(big);
        m.same("create", r -> open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0644));
        m.same("write big", r -> pwrite(r.resolve("f"), 0, big));
        m.same("write past end", r -> pwrite(r.resolve("f"), 5_000_000, bytes("tail")));
        m.same("read start", r -> pread(r.resolve("f"), 0, 4096));
        m.same("read across", r -> pread(r.resolve("f"), 1_000_000, 1 << 20));
        m.same("read hole", r -> pread(r.resolve("f"), 4_000_000, 8192));
        m.same("read at end", r -> pread(r.resolve("f"), 5_000_004, 100));
        m.same("read beyond end", r -> pread(r.resolve("f"), 9_000_000, 100));
        m.same("read a directory", r -> pread(r, 0, 10));
        m.same("write to read-only open", r -> outcome(() -> {
            int fd = openFd(r.resolve("f"), O_RDONLY(), 0);
            try (var a = java.lang.foreign.Arena.ofConfined()) {
                return Long.toString(org.panfuse.fs.posix.Libc.pwrite(fd, a.allocate(1), 1, 0));
            } finally {
                org.panfuse.fs.posix.Libc.close(fd);
            }
        }));
        m.same("append", r -> outcome(() -> {
            int fd = openFd(r.resolve("f"), O_WRONLY() | O_APPEND(), 0);
            try (var a = java.lang.foreign.Arena.ofConfined()) {
                return Long.toString(org.panfuse.fs.posix.Libc.pwrite(fd, a.allocateFrom("app"), 3, 0));
            } finally {
                org.panfuse.fs.posix.Libc.close(fd);
            }
        }) + lstat(r.resolve("f")));
        m.same("O_TRUNC", r -> open(r.resolve("f"), O_WRONLY() | O_TRUNC(), 0) + lstat(r.resolve("f")));
        m.same("fsync", r -> fsync(r.resolve("f"), false));
        m.same("fdatasync", r -> fsync(r.resolve("f"), true));
        m.same("fsync directory", r -> fsync(r, false));
        m.assertTreesEqual();
    }

    @Test
    void fallocateSeekAndCopy() throws Exception {
        m.same("create", r -> open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0644));
        m.same("data at 1 MiB", r -> pwrite(r.resolve("f"), 1 << 20, new byte[8192]));
        m.same("data at 3 MiB", r -> pwrite(r.resolve("f"), 3 << 20, bytes("x".repeat(100))));
        m.same("SEEK_DATA from 0", r -> lseek(r.resolve("f"), 0, SEEK_DATA()));
        m.same("SEEK_HOLE from 1 MiB", r -> lseek(r.resolve("f"), 1 << 20, SEEK_HOLE()));
        m.same("SEEK_DATA past end", r -> lseek(r.resolve("f"), 10 << 20, SEEK_DATA()));
        m.same("SEEK_HOLE at end", r -> lseek(r.resolve("f"), 3 << 20, SEEK_HOLE()));
        m.same("fallocate keep size", r -> fallocate(r.resolve("f"), FALLOC_FL_KEEP_SIZE(), 8 << 20, 1 << 20) + lstat(r.resolve("f")));
        m.same("fallocate extend", r -> fallocate(r.resolve("f"), 0, 0, 5 << 20) + lstat(r.resolve("f")));
        m.same("punch hole", r -> fallocate(r.resolve("f"), FALLOC_FL_PUNCH_HOLE() | FALLOC_FL_KEEP_SIZE(), 1 << 20, 4096)
                + pread(r.resolve("f"), (1 << 20) - 10, 100));
        m.same("punch without keep size", r -> fallocate(r.resolve("f"), FALLOC_FL_PUNCH_HOLE(), 0, 4096));
        m.same("create target", r -> open(r.resolve("g"), O_CREAT() | O_WRONLY(), 0644));
        m.same("copy_file_range", r -> copyFileRange(r.resolve("f"), 3 << 20, r.resolve("g"), 10, 200) + pread(r.resolve("g"), 0, 1000));
        m.same("copy_file_range past end", r -> copyFileRange(r.resolve("f"), 100 << 20, r.resolve("g"), 0, 200));
        m.assertTreesEqual();
    }

    @Test
    void extendedAttributes() throws Exception {
        m.same("create", r -> open(r.resolve("f"), O_CREAT() | O_WRONLY(), 0644) + mkdir(r.resolve("d"), 0755));
        m.same("set", r -> setxattr(r.resolve("f"), "user.colour", "blue", 0));
        m.same("set on directory", r -> setxattr(r.resolve("d"), "user.dir", "yes", 0));
        m.same("create existing", r -> setxattr(r.resolve("f"), "user.colour", "red", XATTR_CREATE()));
        m.same("replace missing", r -> setxattr(r.resolve("f"), "user.size", "big", XATTR_REPLACE()));
        m.same("replace", r -> setxattr(r.resolve("f"), "user.colour", "green", XATTR_REPLACE()));
        m.same("trusted namespace", r -> setxattr(r.resolve("f"), "trusted.t", "1", 0));
        m.same("bad namespace", r -> setxattr(r.resolve("f"), "bogus.x", "1", 0));
        m.same("get size", r -> getxattr(r.resolve("f"), "user.colour", 0));
        m.same("get", r -> getxattr(r.resolve("f"), "user.colour", 100));
        m.same("get too small", r -> getxattr(r.resolve("f"), "user.colour", 2));
        m.same("get missing", r -> getxattr(r.resolve("f"), "user.none", 100));
        m.same("list size", r -> listxattr(r.resolve("f"), 0));
        m.same("list", r -> listxattr(r.resolve("f"), 1000));
        m.same("list too small", r -> listxattr(r.resolve("f"), 3));
        m.same("remove", r -> removexattr(r.resolve("f"), "user.colour"));
        m.same("remove missing", r -> removexattr(r.resolve("f"), "user.colour"));
        m.assertTreesEqual();
    }

    @Test
    void directoryListings() throws Exception {
        for (int i = 0; i < 1500; i++) {
            String name = "entry-" + i + "-" + "x".repeat(i % 50);
            int n = i;
            m.same("create " + i, r -> n % 3 == 0 ? mkdir(r.resolve(name), 0755) : open(r.resolve(name), O_CREAT() | O_WRONLY(), 0644));
        }
        assertEquals(TreeSnapshot.names(m.reference), TreeSnapshot.names(m.mountpoint));
        try (var s = Files.newDirectoryStream(m.mountpoint)) {
            int count = 0;
            for (Path p : s) {
                count++;
                assertEquals(Files.isDirectory(m.reference.resolve(p.getFileName().toString())), Files.isDirectory(p), p.toString());
            }
            assertEquals(1500, count);
        }
        m.assertTreesEqual();
    }

    /** flock(2) is forwarded to the source: a lock held through the mount excludes a second one, as on the bare tree. */
    @Test
    void flockConflicts() throws Exception {
        m.same("create", r -> open(r.resolve("lockfile"), O_CREAT() | O_WRONLY(), 0644));
        m.same("second exclusive flock while one is held", r -> {
            try {
                // One process that takes the lock and then becomes 'sleep', so killing it releases the lock.
                Process holder = new ProcessBuilder("sh", "-c", "exec 9<\"$1\" && flock -x 9 && exec sleep 30", "sh",
                        r.resolve("lockfile").toString()).start();
                try {
                    // Wait until the holder has the lock: a non-blocking shared attempt starts failing.
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    int exit = 0;
                    while (System.nanoTime() < deadline && (exit = flockNonBlocking(r.resolve("lockfile"))) == 0) {
                        Thread.sleep(20);
                    }
                    return "non-blocking flock exit " + exit;
                } finally {
                    holder.destroy();
                    holder.waitFor();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(0, flockNonBlocking(m.mnt("lockfile")), "free again once the holder exits");
        // Forwarded, not kept by the kernel for the mount alone: a lock on the source file is seen through it.
        Process holder = new ProcessBuilder("sh", "-c", "exec 9<\"$1\" && flock -x 9 && exec sleep 30", "sh",
                m.src("lockfile").toString()).start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && flockNonBlocking(m.src("lockfile")) == 0) {
                Thread.sleep(20);
            }
            assertEquals(1, flockNonBlocking(m.mnt("lockfile")), "the source's lock conflicts through the mount");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    private static int flockNonBlocking(Path file) throws Exception {
        return new ProcessBuilder("flock", "-n", "-s", file.toString(), "true").inheritIO().start().waitFor();
    }

    @Test
    void statfsMatchesTheSource() throws Exception {
        var expected = Files.getFileStore(m.source);
        var actual = Files.getFileStore(m.mountpoint);
        assertEquals(expected.getTotalSpace(), actual.getTotalSpace());
        assertEquals(expected.getBlockSize(), actual.getBlockSize());
    }

    @Test
    void namesAtTheLimit() throws Exception {
        String longest = "n".repeat(255);
        String tooLong = "n".repeat(256);
        String utf8 = "grüße-日本語-🙂".repeat(3);
        m.same("255-byte name", r -> open(r.resolve(longest), O_CREAT() | O_WRONLY(), 0644) + lstat(r.resolve(longest)));
        m.same("256-byte name", r -> open(r.resolve(tooLong), O_CREAT() | O_WRONLY(), 0644));
        m.same("utf-8 name", r -> mkdir(r.resolve(utf8), 0755) + lstat(r.resolve(utf8)));
        m.same("utf-8 symlink target", r -> symlink(utf8, r.resolve("l")) + readlink(r.resolve("l")));
        assertTrue(TreeSnapshot.names(m.mountpoint).contains(utf8));
        m.assertTreesEqual();
    }
}
