package org.panfuse.cli;

import org.panfuse.fs.posix.MountTable;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mount jar in a child process: a clean mount-use-signal-exit cycle, and
 * every kind of bad input answered with one line and a nonzero exit.
 */
class MountJarIT {
    private Path base;
    private Path source;
    private Path mnt;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-jar-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (MountTable.isMountPoint(mnt)) {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void assertOneLineError(JarProcess.Result r, int exit, String... fragments) {
        assertEquals(exit, r.exit(), r.output());
        String out = r.output().strip();
        assertEquals(1, out.lines().count(), "one line, got: " + out);
        assertTrue(out.startsWith("panfuse: "), out);
        assertFalse(out.contains("Exception") || out.contains("\tat "), "no stack trace: " + out);
        for (String f : fragments) {
            assertTrue(out.contains(f), "'" + f + "' in: " + out);
        }
    }

    @Test
    void mountUseAndSigtermUnmountsCleanlyWithExitZero() throws Exception {
        Files.writeString(source.resolve("hello"), "from the source");
        try (JarProcess p = JarProcess.start("mount", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            assertEquals("from the source", Files.readString(mnt.resolve("hello")));
            Files.writeString(mnt.resolve("written"), "through the mount");
            assertEquals("through the mount", Files.readString(source.resolve("written")));
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), p.output());
            assertEquals(0, p.process.exitValue(), p.output());
            assertFalse(p.output().contains("Exception"), p.output());
        }
        assertFalse(MountTable.isMountPoint(mnt), "unmounted");
        assertEquals(List.of(), Files.list(mnt).toList(), "mountpoint is empty again");
    }

    @Test
    void ctrlCUnmountsWithExitZeroAndDebugLogsOperations() throws Exception {
        // Data through panfuse (not the kernel's passthrough), so that reads and writes are in the log.
        try (JarProcess p = JarProcess.start("mount", "--debug", "--cache=never", "--threads=3", "--no-splice",
                "--passthrough=never", "-o", "noatime", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            Files.writeString(mnt.resolve("f"), "data");
            assertEquals("data", Files.readString(mnt.resolve("f")));
            p.signal("INT");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), p.output());
            assertEquals(0, p.process.exitValue(), p.output());
            String log = p.output();
            assertTrue(log.contains("create(1, \"f\""), log);
            assertTrue(log.contains("-> written 4"), log);
            assertTrue(log.contains("read(") && log.contains("-> data 4 bytes"), log);
        }
        assertFalse(MountTable.isMountPoint(mnt));
    }

    @Test
    void kernelPassthroughIsSaidAtStartAndAlwaysRefusesWhatCannotHaveIt() throws Exception {
        try (JarProcess p = JarProcess.start("mount", source.toString(), mnt.toString())) {
            awaitServing(p);
            Files.writeString(mnt.resolve("f"), "data");
            assertEquals("data", Files.readString(source.resolve("f")));
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), p.output());
            assertTrue(p.output().contains("panfuse: kernel passthrough in force"), p.output());
        }
        try (JarProcess p = JarProcess.start("mount", "--writeback-cache", source.toString(), mnt.toString())) {
            awaitServing(p);
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), p.output());
            assertTrue(p.output().contains("kernel passthrough off: the kernel does not pass files through with the "
                    + "writeback cache"), p.output());
        }
        JarProcess.Result r = JarProcess.run("mount", "--passthrough=always", "--direct-io", source.toString(),
                mnt.toString());
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().strip().startsWith("panfuse: --passthrough=always cannot go with --direct-io"), r.output());
        r = JarProcess.run("mount", "--passthrough=sometimes", source.toString(), mnt.toString());
        assertEquals(2, r.exit(), r.output());
        assertFalse(MountTable.isMountPoint(mnt));
    }

    /** Until the command says it is serving (its signal handlers are in place from then on). */
    private void awaitServing(JarProcess p) throws Exception {
        p.awaitMounted(mnt, Duration.ofSeconds(20));
        for (long deadline = System.nanoTime() + 20_000_000_000L; !p.output().contains(" mounted on ");
                Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline && p.process.isAlive(), p.output());
        }
    }

    /** Few descriptors for the mount process: opens beyond them answer EMFILE, and the mount recovers. */
    @Test
    void descriptorExhaustionAnswersEmfileAndRecovers() throws Exception {
        for (int i = 0; i < 300; i++) {
            Files.writeString(source.resolve("f" + i), "x" + i);
        }
        try (JarProcess p = JarProcess.start(List.of("prlimit", "--nofile=160:160"), JarProcess.JAVA,
                "mount", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            List<java.nio.channels.FileChannel> open = new java.util.ArrayList<>();
            String failure = null;
            try {
                for (int i = 0; i < 300 && failure == null; i++) {
                    try {
                        open.add(java.nio.channels.FileChannel.open(mnt.resolve("f" + i)));
                    } catch (IOException e) {
                        failure = e.getMessage();
                    }
                }
            } finally {
                for (var ch : open) {
                    ch.close();
                }
            }
            assertTrue(failure != null && failure.contains("Too many open files"), "failure: " + failure
                    + " after " + open.size() + " opens");
            // Descriptors are free again: every file opens and reads.
            for (int i = 0; i < 300; i++) {
                assertEquals("x" + i, Files.readString(mnt.resolve("f" + i)));
            }
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.process.exitValue(), p.output());
        }
    }

    @Test
    void missingSource() throws Exception {
        assertOneLineError(JarProcess.run("mount", base.resolve("nope").toString(), mnt.toString()), 1,
                "source", "does not exist");
    }

    @Test
    void sourceIsAFile() throws Exception {
        Path file = Files.writeString(base.resolve("file"), "x");
        assertOneLineError(JarProcess.run("mount", file.toString(), mnt.toString()), 1, "is not a directory");
    }

    @Test
    void unreadableSource() throws Exception {
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(mnt, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwx------"));
        // As root everything is readable: ask as nobody.
        JarProcess.Result r = JarProcess.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                JarProcess.JAVA, "mount", source.toString(), mnt.toString());
        assertOneLineError(r, 1, "source", "not readable");
    }

    @Test
    void missingMountpoint() throws Exception {
        assertOneLineError(JarProcess.run("mount", source.toString(), base.resolve("nope").toString()), 1,
                "mountpoint", "does not exist");
    }

    @Test
    void mountpointIsAFile() throws Exception {
        Path file = Files.writeString(base.resolve("file"), "x");
        assertOneLineError(JarProcess.run("mount", source.toString(), file.toString()), 1,
                "mountpoint", "is not a directory");
    }

    @Test
    void mountpointAlreadyMounted() throws Exception {
        assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", mnt.toString()).inheritIO().start().waitFor());
        assertOneLineError(JarProcess.run("mount", source.toString(), mnt.toString()), 1,
                "already mounted", "tmpfs", "fusermount3 -u " + mnt);
    }

    @Test
    void mountpointLeftBehindByAKilledProcess() throws Exception {
        try (JarProcess p = JarProcess.start("mount", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            p.signal("KILL");
            p.process.waitFor();
        }
        assertOneLineError(JarProcess.run("mount", source.toString(), mnt.toString()), 1,
                "left behind", "fusermount3 -u " + mnt, "--clear-stale");
        assertEquals(0, new ProcessBuilder("fusermount3", "-u", mnt.toString()).inheritIO().start().waitFor());
        assertFalse(MountTable.isMountPoint(mnt));
    }

    @Test
    void clearStaleDetachesTheDeadMountAndMountsAgain() throws Exception {
        Files.writeString(source.resolve("f"), "again");
        try (JarProcess p = JarProcess.start("mount", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            p.signal("KILL");
            p.process.waitFor();
        }
        try (JarProcess p = JarProcess.start("mount", "--clear-stale", source.toString(), mnt.toString())) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(mnt.resolve("f")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("again", Files.readString(mnt.resolve("f")));
            assertTrue(p.output().contains("cleared the stale mount"), p.output());
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.process.exitValue(), p.output());
        }
        assertFalse(MountTable.isMountPoint(mnt));
    }

    @Test
    void noDevFuse() throws Exception {
        // A private mount namespace whose /dev has everything the JVM needs but fuse.
        // All outside /dev, which is about to be covered (base lives in /dev/shm).
        Path outside = Files.createTempDirectory("panfuse-nofuse-");
        Path oldDev = Files.createDirectory(outside.resolve("olddev"));
        Path src = Files.createDirectory(outside.resolve("source"));
        Path mp = Files.createDirectory(outside.resolve("mnt"));
        String script = "mount --bind /dev \"$1\" && mount -t tmpfs none /dev"
                + " && for d in null zero random urandom; do touch /dev/$d && mount --bind \"$1/$d\" /dev/$d; done"
                + " && shift && exec \"$@\"";
        JarProcess.Result r = JarProcess.run(List.of("unshare", "--mount", "sh", "-c", script, "sh", oldDev.toString()),
                JarProcess.JAVA, "mount", src.toString(), mp.toString());
        for (Path p : List.of(oldDev, src, mp, outside)) {
            Files.delete(p);
        }
        assertOneLineError(r, 1, "/dev/fuse does not exist");
    }

    @Test
    void libfuseNotInstalled() throws Exception {
        Path library = Path.of("/usr/lib/x86_64-linux-gnu/libfuse3.so.3").toRealPath();
        JarProcess.Result r = JarProcess.run(
                List.of("unshare", "--mount", "sh", "-c", "mount --bind /dev/null \"$1\" && shift && exec \"$@\"", "sh",
                        library.toString()),
                JarProcess.JAVA, "mount", source.toString(), mnt.toString());
        assertOneLineError(r, 1, "libfuse 3 is not installed", "apt-get install fuse3");
    }

    @Test
    void javaOlderThan22() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        assertTrue(Files.isExecutable(java17), "this test needs Debian's JDK 17 at " + java17);
        JarProcess.Result r = JarProcess.run(List.of(), java17.toString(), "mount", source.toString(), mnt.toString());
        assertOneLineError(r, 1, "needs Java 22 or newer", "this is Java 17");
    }

    @Test
    void unknownOption() throws Exception {
        assertOneLineError(JarProcess.run("mount", "--bogus", source.toString(), mnt.toString()), 2,
                "Unknown option: '--bogus'", "panfuse mount --help");
    }

    @Test
    void badOptionValue() throws Exception {
        assertOneLineError(JarProcess.run("mount", "--cache=sometimes", source.toString(), mnt.toString()), 2,
                "--cache", "NEVER, AUTO, ALWAYS", "case-insensitive");
        assertOneLineError(JarProcess.run("mount", "--threads=0", source.toString(), mnt.toString()), 2,
                "--threads must be from 1 to 1024, not 0");
        assertOneLineError(JarProcess.run("mount", "--threads=100000", source.toString(), mnt.toString()), 2,
                "--threads must be from 1 to 1024, not 100000");
        assertOneLineError(JarProcess.run("mount", "--fd-cache=3", source.toString(), mnt.toString()), 2,
                "--fd-cache must be at least 16");
        assertOneLineError(JarProcess.run("mount", "--writeback-cache", "-o", "allow_other", source.toString(),
                mnt.toString()), 2, "--writeback-cache cannot go with --allow-other");
    }

    @Test
    void emptyMountOptions() throws Exception {
        assertOneLineError(JarProcess.run("mount", "-o", "", source.toString(), mnt.toString()), 2,
                "-o '': empty mount option");
        assertOneLineError(JarProcess.run("mount", "-o", "noatime,,ro", source.toString(), mnt.toString()), 2,
                "-o 'noatime,,ro': empty mount option");
        assertOneLineError(JarProcess.run("mount", "-o", "fsname=x", source.toString(), mnt.toString()), 2,
                "-o fsname=x");
    }

    /** -o allow_other is --allow-other: other users get in only with the kernel checking, and as themselves. */
    @Test
    void dashOAllowOtherNeverLetsOthersInWithoutChecks() throws Exception {
        for (Path p : List.of(base, source, mnt)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(source.resolve("secret"), "root only");
        Files.setPosixFilePermissions(source.resolve("secret"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(source.resolve("public"), "for all");
        try (JarProcess p = JarProcess.start("mount", "-o", "allow_other,noatime", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            String options = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .filter(l -> l.split(" ")[1].equals(mnt.toString())).findFirst().orElseThrow();
            assertTrue(options.contains("allow_other") && options.contains("default_permissions"), options);
            assertTrue(options.contains("noatime"), options);
            String[] nobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c"};
            assertTrue(run(nobody, "cat " + mnt.resolve("secret")).contains("Permission denied"));
            assertTrue(run(nobody, "chmod 4777 " + mnt.resolve("public")).contains("Operation not permitted"));
            assertTrue(run(nobody, "chown 65534 " + mnt.resolve("public")).contains("Operation not permitted"));
            assertEquals("for all", run(nobody, "cat " + mnt.resolve("public")));
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(source.resolve("public"))));
    }

    private static String run(String[] prefix, String script) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(prefix));
        command.add(script);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Test
    void mountpointInsideSourceIsRefused() throws Exception {
        Files.createDirectories(source.resolve("a/b/c"));
        assertOneLineError(JarProcess.run("mount", source.toString(), source.resolve("a").toString()), 2,
                "lies inside source", "choose a mountpoint outside the source");
        assertOneLineError(JarProcess.run("mount", source.toString(), source.resolve("a/b/c").toString()), 2,
                "lies inside source");
        // Through a symlink that leads into the source.
        Path link = Files.createSymbolicLink(base.resolve("link"), source.resolve("a/b"));
        assertOneLineError(JarProcess.run("mount", source.toString(), link.toString()), 2, "lies inside source");
        // The source's parent mounted elsewhere: the mountpoint is inside the source only through that mount.
        Path elsewhere = Files.createDirectory(base.resolve("elsewhere"));
        Path bound = Files.createDirectory(base.resolve("bound"));
        assertEquals(0, new ProcessBuilder("mount", "--bind", elsewhere.toString(), source.resolve("a/b").toString())
                .inheritIO().start().waitFor());
        Files.createDirectory(elsewhere.resolve("m"));
        try {
            assertOneLineError(JarProcess.run("mount", source.toString(), elsewhere.resolve("m").toString()), 2,
                    "lies inside source", "reached through the mount on " + source.resolve("a/b"));
            assertEquals(0, new ProcessBuilder("mount", "--bind", source.toString(), bound.toString())
                    .inheritIO().start().waitFor());
            assertOneLineError(JarProcess.run("mount", bound.toString(), source.resolve("a").toString()), 2,
                    "lies inside source");
        } finally {
            new ProcessBuilder("umount", "-l", bound.toString()).inheritIO().start().waitFor();
            new ProcessBuilder("umount", "-l", source.resolve("a/b").toString()).inheritIO().start().waitFor();
        }
    }

    /** A view over its own source: the mount hides the directory it serves, and works. */
    @Test
    void sourceEqualToMountpointWorks() throws Exception {
        Files.writeString(source.resolve("before"), "there before");
        try (JarProcess p = JarProcess.start("mount", "--single-threaded", "--cache=never",
                source.toString(), source.toString())) {
            p.awaitMounted(source, Duration.ofSeconds(20));
            assertEquals("there before", Files.readString(source.resolve("before")));
            Files.writeString(source.resolve("during"), "written through the mount");
            Files.createDirectories(source.resolve("d/e"));
            try (var list = Files.list(source)) {
                assertEquals(3, list.count());
            }
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), p.output());
            assertEquals(0, p.process.exitValue(), p.output());
        }
        assertFalse(MountTable.isMountPoint(source));
        assertEquals("written through the mount", Files.readString(source.resolve("during")));
    }

    /** --debug: every request logged as it arrives (number, caller) and as it ends; names never forge lines. */
    @Test
    void debugLogNamesRequestsAndEscapesNames() throws Exception {
        try (JarProcess p = JarProcess.start("mount", "--debug", "--cache=never", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            Files.writeString(mnt.resolve("evil\n12:00:00.000 [x] DEBUG forged"), "x");
            Files.writeString(mnt.resolve("line\nbreak\u001b[31m"), "y");
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            String log = p.output();
            assertTrue(log.contains("create(1, \"line\\nbreak\\x1b[31m\""), log);
            assertFalse(log.lines().anyMatch(l -> l.startsWith("break") || l.startsWith("12:00:00.000")), log);
            assertTrue(log.lines().anyMatch(l -> l.matches(".*#\\d+ create\\(1, .* uid=0 gid=0 pid=\\d+")), log);
            assertTrue(log.lines().anyMatch(l -> l.matches(".*#\\d+ create -> created ino=.*")), log);
        }
    }

    @Test
    void missingArguments() throws Exception {
        assertOneLineError(JarProcess.run("mount", source.toString()), 2, "MOUNTPOINT");
        assertOneLineError(JarProcess.run(), 2, "missing command");
    }

    /** FUSE's form in the foreground: -f, -s, and panfuse's own options as -o names, as an fstab line gives them. */
    @Test
    void fuseFormInTheForegroundWithDashOOptions() throws Exception {
        Files.writeString(source.resolve("hello"), "from the source");
        try (JarProcess p = JarProcess.start(source.toString(), mnt.toString(), "-f", "-s", "-o",
                "ro,nofail,_netdev,x-systemd.automount,cache=never,passthrough=never,noatime")) {
            awaitServing(p);
            String options = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .filter(l -> l.split(" ")[1].equals(mnt.toString())).findFirst().orElseThrow();
            assertTrue(options.contains(" ro,") && options.contains("noatime"), options);
            assertEquals("from the source", Files.readString(mnt.resolve("hello")));
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), p.output());
            assertEquals(0, p.process.exitValue(), p.output());
            assertFalse(p.output().contains("kernel passthrough"), "passthrough=never says nothing: " + p.output());
        }
    }

    @Test
    void fuseFormMistakes() throws Exception {
        assertOneLineError(JarProcess.run(source.toString(), mnt.toString(), "-o", "kernel_cache"), 2,
                "-o kernel_cache is an option of libfuse's high-level API");
        assertOneLineError(JarProcess.run(source.toString(), mnt.toString(), "-o", "cache"), 2,
                "-o cache needs a value");
        assertOneLineError(JarProcess.run(source.toString(), mnt.toString(), "-o", "encrypt=yes"), 2,
                "-o encrypt takes no value");
        assertOneLineError(JarProcess.run(source.toString(), mnt.toString(), "-o", "setuid=nobody"), 2,
                "mount.fuse3's option");
        assertOneLineError(JarProcess.run(source.toString(), "/dev/fd/3"), 2, "drop_privileges");
        assertOneLineError(JarProcess.run("mout", source.toString(), mnt.toString()), 2,
                "unknown command 'mout' (commands: mount, init, restore");
        assertOneLineError(JarProcess.run("mount", "--log-file", "/tmp/x", source.toString(), mnt.toString()), 2,
                "--log-file is for the background server");
        assertFalse(MountTable.isMountPoint(mnt));
    }

    @Test
    void helpAndVersion() throws Exception {
        for (String[] args : List.of(new String[] {"mount", "--version"}, new String[] {"mount", "-V"},
                new String[] {"--version"})) {
            JarProcess.Result v = JarProcess.run(args);
            assertEquals(0, v.exit(), v.output());
            assertTrue(v.output().startsWith("panfuse ") && v.output().contains("libfuse 3."), v.output());
        }
        JarProcess.Result help = JarProcess.run("mount", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.output().contains("--writeback-cache") && help.output().contains("--allow-other"), help.output());
        JarProcess.Result version = JarProcess.run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.output().contains("libfuse 3."), version.output());
    }
}
