package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * {@code panfuse unmount} on the mount jar's mounts: an idle mount goes and
 * its server exits 0; a busy one is named with what holds it (working
 * directory, open file, running program, a mount inside it) and detached
 * lazily, or left mounted with --no-lazy; what is not a panfuse mount is
 * refused in one line.
 */
class UnmountIT {
    private Path base;
    private Path source;
    private Path mnt;
    private final List<Process> holders = new ArrayList<>();

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-unmount-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : holders) {
            p.destroyForcibly().waitFor();
        }
        for (Path p : List.of(mnt.resolve("sub"), mnt, base.resolve("tmp"))) {
            if (MountTable.isMountPoint(p)) {
                new ProcessBuilder("umount", "-l", p.toString()).inheritIO().start().waitFor();
            }
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Mounts SOURCE on MNT with the jar and waits until it serves. */
    private JarProcess mount() throws Exception {
        JarProcess p = JarProcess.start("mount", source.toString(), mnt.toString());
        p.awaitMounted(mnt, Duration.ofSeconds(20));
        for (long deadline = System.nanoTime() + 20_000_000_000L; !p.output().contains(" mounted on ");
                Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline && p.process.isAlive(), p.output());
        }
        return p;
    }

    private static void assertExitsZero(JarProcess p) throws Exception {
        assertTrue(p.process.waitFor(30, TimeUnit.SECONDS), "the server exits: " + p.output());
        assertEquals(0, p.process.exitValue(), p.output());
    }

    /** The whole output is one line starting "panfuse: ", with no stack trace; returns it. */
    private static String oneLine(JarProcess.Result r, int exit) {
        assertEquals(exit, r.exit(), r.output());
        String out = r.output().strip();
        assertEquals(1, out.lines().count(), "one line, got: " + out);
        assertTrue(out.startsWith("panfuse: "), out);
        assertFalse(out.contains("Exception") || out.contains("\tat "), out);
        return out;
    }

    private Process hold(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        holders.add(p);
        return p;
    }

    @Test
    void anIdleMountIsUnmountedAndItsServerExitsZero() throws Exception {
        Files.writeString(source.resolve("f"), "data");
        try (JarProcess server = mount()) {
            assertEquals("data", Files.readString(mnt.resolve("f")));
            assertEquals("panfuse: unmounted " + mnt, oneLine(JarProcess.run("unmount", mnt.toString()), 0));
            assertFalse(MountTable.isMountPoint(mnt));
            assertExitsZero(server);
        }
        // Named through a symlink too, and by the alias.
        Path link = Files.createSymbolicLink(base.resolve("link"), mnt);
        try (JarProcess server = mount()) {
            assertEquals("panfuse: unmounted " + mnt, oneLine(JarProcess.run("umount", link.toString()), 0));
            assertExitsZero(server);
        }
    }

    @Test
    void aBusyMountNamesItsHoldersAndIsDetachedLazilyOrLeftWithNoLazy() throws Exception {
        Files.writeString(source.resolve("f"), "data");
        Files.copy(Path.of("/bin/sleep"), source.resolve("holder"));
        source.resolve("holder").toFile().setExecutable(true);
        try (JarProcess server = mount()) {
            Process inside = hold(new ProcessBuilder("sleep", "300").directory(mnt.toFile()));
            Process reading = hold(new ProcessBuilder("sleep", "300").redirectInput(mnt.resolve("f").toFile()));
            Process running = hold(new ProcessBuilder(mnt.resolve("holder").toString(), "300"));
            awaitLink(inside.pid(), "cwd", mnt);
            awaitLink(reading.pid(), "fd/0", mnt.resolve("f"));
            awaitLink(running.pid(), "exe", mnt.resolve("holder"));
            String cwd = "pid " + inside.pid() + " (sleep) has its working directory there";
            String open = "pid " + reading.pid() + " (sleep) has " + mnt.resolve("f") + " open";
            String runs = "pid " + running.pid() + " (holder) runs " + mnt.resolve("holder");

            String refused = oneLine(JarProcess.run("unmount", "--no-lazy", mnt.toString()), 1);
            assertTrue(refused.startsWith("panfuse: " + mnt + " is busy: "), refused);
            assertTrue(refused.endsWith("; left mounted (--no-lazy)"), refused);
            for (String holder : List.of(cwd, open, runs)) {
                assertTrue(refused.contains(holder), holder + " in: " + refused);
            }
            assertEquals("data", Files.readString(mnt.resolve("f")), "still mounted and served");

            String lazy = oneLine(JarProcess.run("unmount", mnt.toString()), 0);
            assertTrue(lazy.startsWith("panfuse: " + mnt + " is busy: "), lazy);
            assertTrue(lazy.endsWith("; unmounting lazily (it goes when they let go)"), lazy);
            assertTrue(lazy.contains(cwd) && lazy.contains(open) && lazy.contains(runs), lazy);
            assertFalse(MountTable.isMountPoint(mnt), "detached from the tree at once");
            assertTrue(server.process.isAlive(), "still serving those who hold it");
            for (Process p : holders) {
                p.destroyForcibly().waitFor();
            }
            assertExitsZero(server);
        }
    }

    @Test
    void aMountInsideItIsNamed() throws Exception {
        try (JarProcess server = mount()) {
            Path sub = Files.createDirectory(mnt.resolve("sub"));
            assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", sub.toString()).start().waitFor());
            String refused = oneLine(JarProcess.run("unmount", "--no-lazy", mnt.toString()), 1);
            assertEquals("panfuse: " + mnt + " is busy: the mount on " + sub + " is inside it; left mounted (--no-lazy)",
                    refused);
            oneLine(JarProcess.run("unmount", mnt.toString()), 0);
            assertFalse(MountTable.isMountPoint(mnt));
            assertExitsZero(server);
        }
    }

    /**
     * A user's own mount goes through fusermount3. /dev/fuse is root's alone
     * on these machines, so the script gives the user one of its own in a
     * private mount namespace (the same device), where the mount, the holder
     * and every command run.
     */
    @Test
    void aUsersOwnMountIsUnmountedThroughFusermount3() throws Exception {
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p : List.of(source, mnt)) {
            Files.setAttribute(p, "unix:uid", 65534);
            Files.setAttribute(p, "unix:gid", 65534);
        }
        String panfuse = "setpriv --reuid=65534 --regid=65534 --clear-groups " + JarProcess.JAVA + " -jar " + JarProcess.JAR;
        String script = "mknod fuse c 10 229 && chmod 666 fuse && mount --bind fuse /dev/fuse || exit 1\n"
                + panfuse + " mount source mnt > mount.log 2>&1 & server=$!\n"
                + "for i in $(seq 100); do grep -q ' " + mnt + " ' /proc/self/mountinfo && break; sleep 0.2; done\n"
                + "setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'cd mnt && exec sleep 60' & holder=$!\n"
                + "for i in $(seq 50); do [ \"$(readlink /proc/$holder/cwd)\" = " + mnt + " ] && break; sleep 0.1; done\n"
                + "echo holder $holder\n"
                + panfuse + " unmount --no-lazy " + mnt + "; echo exit $?\n"
                + panfuse + " unmount " + mnt + "; echo exit $?\n"
                + "grep -c ' " + mnt + " ' /proc/self/mountinfo\n"
                + "kill $holder; wait $server; echo server $?\n";
        Files.writeString(base.resolve("user.sh"), script);
        String out = Sh.ok(base, "unshare -m --propagation private sh user.sh");
        String holder = out.lines().filter(l -> l.startsWith("holder ")).findFirst().orElseThrow().substring(7);
        String busy = "panfuse: " + mnt + " is busy: pid " + holder + " (sleep) has its working directory there; ";
        assertTrue(out.contains(busy + "left mounted (--no-lazy)\nexit 1\n"), out);
        assertTrue(out.contains(busy + "unmounting lazily (it goes when they let go)\nexit 0\n0\nserver 0\n"), out);
        assertFalse(out.contains("Exception"), out);
    }

    @Test
    void whatIsNotAPanfuseMountIsRefusedInOneLine() throws Exception {
        assertEquals("panfuse: " + mnt + " is not a mount point", oneLine(JarProcess.run("unmount", mnt.toString()), 1));
        Path missing = base.resolve("missing");
        assertEquals("panfuse: " + missing + " does not exist", oneLine(JarProcess.run("unmount", missing.toString()), 1));
        Path tmp = Files.createDirectory(base.resolve("tmp"));
        assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", tmp.toString()).start().waitFor());
        assertEquals("panfuse: " + tmp + " is not a panfuse mount (it is tmpfs); use umount for it",
                oneLine(JarProcess.run("unmount", tmp.toString()), 1));
        assertTrue(MountTable.isMountPoint(tmp), "left alone");
        String usage = oneLine(JarProcess.run("unmount"), 2);
        assertTrue(usage.contains("MOUNTPOINT") && usage.contains("panfuse unmount --help"), usage);
        oneLine(JarProcess.run("unmount", "--lazy", mnt.toString()), 2);
    }

    /** Waits until /proc/PID/LINK points at {@code target}: the holder is in place. */
    private static void awaitLink(long pid, String link, Path target) throws Exception {
        Path proc = Path.of("/proc", Long.toString(pid), link);
        for (long deadline = System.nanoTime() + 10_000_000_000L; ; Thread.sleep(20)) {
            try {
                if (Files.readSymbolicLink(proc).equals(target)) {
                    return;
                }
            } catch (IOException e) {
                // not there yet
            }
            assertTrue(System.nanoTime() < deadline, proc + " never pointed at " + target);
        }
    }
}
