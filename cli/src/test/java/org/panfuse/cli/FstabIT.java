package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * panfuse as mount(8) runs it: an fstab line of type fuse.panfuse mounted
 * with {@code mount -T FSTAB MOUNTPOINT} (util-linux runs /sbin/mount.fuse,
 * which runs {@code panfuse SOURCE MOUNTPOINT -o OPTIONS} through /bin/sh),
 * and mount.fuse3 run directly; {@code umount} ends the server with status 0.
 *
 * <p>mount(8) clears PATH before it runs a helper, so /bin/sh finds
 * {@code panfuse} on its default path only (/usr/local/sbin first, where
 * the package's /usr/bin/panfuse would come later). The fstab tests run
 * mount in a mount namespace of their own in which a directory of the
 * test's, holding a {@code panfuse} script that runs the jar, is bound on
 * /usr/local/sbin: nothing on the machine is changed. The mount then lives
 * in that namespace, and the test looks at it through nsenter.
 */
class FstabIT {
    private Path base;
    private Path bin;
    private Path source;
    private Path mnt;

    @BeforeAll
    static void adoptOrphans() throws Throwable {
        Reaper.becomeSubreaper();
    }

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-fstab-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        bin = Files.createDirectory(base.resolve("bin"));
        Files.writeString(source.resolve("hello"), "from the source");
        Path script = Files.writeString(bin.resolve("panfuse"), "#!/bin/sh\nexec " + JarProcess.JAVA + " -jar "
                + JarProcess.JAR + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p : List.of(base, source, mnt)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Path m : List.of(mnt, base.resolve("view"))) {
            for (long pid : Reaper.servers(m)) {
                new ProcessBuilder("nsenter", "--mount=/proc/" + pid + "/ns/mnt", "umount", "-l", m.toString())
                        .inheritIO().start().waitFor();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (MountTable.isMountPoint(m)) {
                new ProcessBuilder("umount", "-l", m.toString()).inheritIO().start().waitFor();
            }
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code mount -T FSTAB MOUNTPOINT} in a namespace where /usr/local/sbin holds the test's panfuse. */
    private Sh.Result mountFromFstab(Path fstab, Path mountpoint) throws Exception {
        return Sh.run(base, "unshare --mount sh -c 'mount --bind \"$1\" /usr/local/sbin && exec mount -T \"$2\" \"$3\"'"
                + " sh " + bin + " " + fstab + " " + mountpoint);
    }

    /** Runs {@code script} in the mount namespace of process {@code pid}. */
    private Sh.Result inNamespaceOf(long pid, String script) throws Exception {
        return Sh.run(base, "nsenter --mount=/proc/" + pid + "/ns/mnt sh -c '" + script + "'");
    }

    @Test
    void fstabLineMountsWithMountAndUmountEndsTheServer() throws Throwable {
        Path fstab = Files.writeString(base.resolve("fstab"),
                "# a test's fstab\n" + source + " " + mnt + " fuse.panfuse defaults,allow_other 0 0\n");
        Sh.Result mounted = mountFromFstab(fstab, mnt);
        assertEquals(0, mounted.exit(), mounted.output());
        long server = Reaper.server(mnt);

        Sh.Result seen = inNamespaceOf(server, "grep \" " + mnt + " \" /proc/self/mounts; cat " + mnt + "/hello; echo;"
                + " setpriv --reuid=65534 --regid=65534 --clear-groups cat " + mnt + "/hello");
        assertEquals(0, seen.exit(), seen.output());
        List<String> lines = seen.output().lines().toList();
        assertTrue(lines.get(0).startsWith(source + " " + mnt + " fuse.panfuse rw,"), lines.get(0));
        assertTrue(lines.get(0).contains("allow_other") && lines.get(0).contains("default_permissions"), lines.get(0));
        assertEquals("from the source", lines.get(1));
        assertEquals("from the source", lines.get(2), "allow_other: another user reads it too");

        Sh.Result unmounted = inNamespaceOf(server, "umount " + mnt);
        assertEquals(0, unmounted.exit(), unmounted.output());
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)), "umount ends the server with status 0");
    }

    /** With config=FILE the fstab's first field names no directory: the config file's sources are mounted. */
    @Test
    void fstabLineWithConfigFile() throws Throwable {
        Path config = Files.writeString(base.resolve("view.toml"), "read_only = true\n\n[[source]]\nname = \"data\"\n"
                + "path = \"" + source + "\"\n");
        Path fstab = Files.writeString(base.resolve("fstab"), "panfuse " + mnt + " fuse.panfuse config=" + config
                + ",nofail,x-systemd.automount 0 0\n");
        Sh.Result mounted = mountFromFstab(fstab, mnt);
        assertEquals(0, mounted.exit(), mounted.output());
        long server = Reaper.server(mnt);
        Sh.Result seen = inNamespaceOf(server, "cat " + mnt + "/data/hello; echo; touch " + mnt + "/data/new");
        assertEquals("from the source", seen.output().lines().findFirst().orElseThrow(), seen.output());
        assertTrue(seen.output().contains("Read-only file system"), "read_only from the config: " + seen.output());
        assertEquals(0, inNamespaceOf(server, "umount " + mnt).exit());
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
    }

    /** An fstab line whose mount fails: mount(8) shows panfuse's one line and fails; nothing stays behind. */
    @Test
    void fstabLineThatFailsSaysWhy() throws Exception {
        Path fstab = Files.writeString(base.resolve("fstab"),
                base.resolve("nope") + " " + mnt + " fuse.panfuse defaults 0 0\n");
        Sh.Result mounted = mountFromFstab(fstab, mnt);
        assertEquals(1, mounted.exit(), mounted.output());
        assertEquals("panfuse: source " + base.resolve("nope") + " does not exist", mounted.output().strip());
        assertEquals(List.of(), Reaper.servers(mnt));
    }

    /** mount.fuse3 run by hand: the same command line, here with PATH naming the test's panfuse. */
    @Test
    void mountFuse3DirectlyAndUmount() throws Throwable {
        Sh.Result mounted = Sh.run(base, "PATH=" + bin + ":$PATH mount.fuse3 " + source + " " + mnt
                + " -t fuse.panfuse -o ro,noatime,cache=never,nodev,nosuid");
        assertEquals(0, mounted.exit(), mounted.output());
        assertTrue(MountTable.isMountPoint(mnt), "mounted when mount.fuse3 returns");
        long server = Reaper.server(mnt);
        String line = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .filter(l -> l.split(" ")[1].equals(mnt.toString())).findFirst().orElseThrow();
        assertTrue(line.startsWith(source + " " + mnt + " fuse.panfuse ro,nosuid,nodev,noatime"), line);
        assertEquals("from the source", Files.readString(mnt.resolve("hello")));
        assertEquals(0, new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor());
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
        assertFalse(MountTable.isMountPoint(mnt));
    }
}
