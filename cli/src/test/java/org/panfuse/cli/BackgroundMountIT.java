package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * Mounting in the background: the command returns once the mount serves,
 * the server goes on in a session of its own after the command is gone,
 * logs to its log file or to syslog, and ends with exit status 0 when the
 * mountpoint is unmounted; a failure is the command's one line and status,
 * with nothing mounted and no server left.
 */
class BackgroundMountIT {
    private static final Pattern MASTER_KEY = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{8}){7}");

    private Path base;
    private Path source;
    private Path mnt;

    @BeforeAll
    static void adoptOrphans() throws Throwable {
        Reaper.becomeSubreaper();
    }

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-bg-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        Files.writeString(source.resolve("hello"), "from the source");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (MountTable.isMountPoint(mnt)) {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
        for (long pid : Reaper.servers(mnt)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void fuseFormReturnsOnceMountedAndTheServerOutlivesTheCommand() throws Throwable {
        Path log = base.resolve("server.log");
        JarProcess.Result r = JarProcess.run(source.toString(), mnt.toString(), "-o",
                "log_file=" + log + ",cache=never");
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output().strip(), "a background mount says nothing when it works");
        // Ready when the command returned: no waiting here.
        assertTrue(MountTable.isMountPoint(mnt), "mounted when the command returns");
        long server = Reaper.server(mnt);
        assertEquals(server, Reaper.session(server), "the server leads a session of its own");
        assertNotEquals(Reaper.session(ProcessHandle.current().pid()), Reaper.session(server));
        assertEquals("from the source", Files.readString(mnt.resolve("hello")));
        Files.writeString(mnt.resolve("written"), "through the mount");
        assertEquals("through the mount", Files.readString(source.resolve("written")));
        assertEquals("/", Files.readSymbolicLink(Path.of("/proc/" + server + "/cwd")).toString(),
                "the server keeps no directory busy");

        assertEquals(0, new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor());
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)), "umount ends the server with status 0");
        String written = Files.readString(log);
        assertTrue(written.contains("panfuse: " + source + " mounted on " + mnt + " (server pid " + server), written);
        assertTrue(written.contains("panfuse: unmounted " + mnt), written);
        assertFalse(MountTable.isMountPoint(mnt));
    }

    @Test
    void mountDashBIsTheSameAndSigtermEndsTheServer() throws Throwable {
        Path log = base.resolve("server.log");
        JarProcess.Result r = JarProcess.run("mount", "-b", "--log-file", log.toString(), source.toString(),
                mnt.toString());
        assertEquals(0, r.exit(), r.output());
        long server = Reaper.server(mnt);
        assertEquals("from the source", Files.readString(mnt.resolve("hello")));
        new ProcessBuilder("kill", "-TERM", Long.toString(server)).inheritIO().start().waitFor();
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
        assertFalse(MountTable.isMountPoint(mnt), "SIGTERM unmounts");
        assertTrue(Files.readString(log).contains("panfuse: unmounted " + mnt), Files.readString(log));
    }

    @Test
    void aFailureBeforeGoingToTheBackgroundIsOneLine() throws Exception {
        JarProcess.Result r = JarProcess.run(base.resolve("nope").toString(), mnt.toString());
        assertOneLineError(r, 1, "source", "does not exist");
        r = JarProcess.run(source.toString(), mnt.toString(), "-o", "noatime,bogus");
        assertOneLineError(r, 2, "-o bogus: unknown mount option");
        r = JarProcess.run(source.toString(), mnt.toString(), "-o", "log_file=" + base.resolve("no/such.log"));
        assertOneLineError(r, 1, "cannot write the log file", "its directory does not exist");
        assertFalse(MountTable.isMountPoint(mnt));
        assertEquals(List.of(), Reaper.servers(mnt));
    }

    /** The server meets the failure (no key file): its one line and status are the command's; nothing stays. */
    @Test
    void aFailureInTheServerIsTheCommandsOneLineAndStatus() throws Exception {
        Path pw = Files.writeString(base.resolve("pw"), "secret\n");
        Path log = base.resolve("server.log");
        JarProcess.Result r = JarProcess.run(source.toString(), mnt.toString(), "-o",
                "encrypt,passfile=" + pw + ",log_file=" + log);
        assertOneLineError(r, 1, "no key file " + source.resolve(".gocryptfs.reverse.conf"));
        assertFalse(MountTable.isMountPoint(mnt));
        assertEquals(List.of(), Reaper.servers(mnt));
        assertTrue(Files.readString(log).contains("no key file"), "the log has it too: " + Files.readString(log));
    }

    /** Without --log-file the server's lines are syslog datagrams, as logger(1) sends them. */
    @Test
    void withoutLogFileTheLogGoesToSyslog() throws Throwable {
        Path socketPath = base.resolve("log.sock");
        try (UnixDatagram syslog = UnixDatagram.open(true)) {
            syslog.bind(socketPath.toString());
            JarProcess.Result r = JarProcess.run(Map.of(SyslogStream.SOCKET_VARIABLE, socketPath.toString()),
                    source.toString(), mnt.toString());
            assertEquals(0, r.exit(), r.output());
            assertEquals("", r.output().strip());
            long server = Reaper.server(mnt);
            List<String> lines = receive(syslog, "mounted on", Duration.ofSeconds(10));
            String mounted = lines.get(lines.size() - 1);
            assertTrue(mounted.matches("<30>[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d panfuse\\[" + server
                    + "\\]: panfuse: " + Pattern.quote(source + " mounted on " + mnt) + " .*"), mounted);
            assertEquals(0, new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor());
            assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
            assertTrue(receive(syslog, "unmounted", Duration.ofSeconds(10)).get(0).length() > 0);
        }
    }

    @Test
    void quietLeavesOnlyWarningsAndErrors() throws Throwable {
        Path log = base.resolve("server.log");
        assertEquals(0, JarProcess.run(source.toString(), mnt.toString(), "-o", "quiet,log_file=" + log).exit());
        long server = Reaper.server(mnt);
        assertEquals(0, new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor());
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
        assertEquals("", Files.readString(log).strip());
        // In the foreground too.
        try (JarProcess p = JarProcess.start("mount", "--quiet", source.toString(), mnt.toString())) {
            p.awaitMounted(mnt, Duration.ofSeconds(20));
            Thread.sleep(200);
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.process.exitValue());
            assertEquals("", p.output().strip());
        }
    }

    /** A secret this terminal gives (here --masterkey stdin) is handed to the server, which has no terminal. */
    @Test
    void aSecretFromStdinReachesTheServer() throws Throwable {
        Path pw = Files.writeString(base.resolve("pw"), "secret\n");
        JarProcess.Result init = JarProcess.run("init", "--scryptn", "10", "--passfile", pw.toString(),
                source.toString());
        assertEquals(0, init.exit(), init.output());
        Matcher key = MASTER_KEY.matcher(init.output());
        assertTrue(key.find(), init.output());
        Path log = base.resolve("server.log");
        try (JarProcess p = JarProcess.start("mount", "-b", "--encrypt", "--masterkey", "stdin", "--log-file",
                log.toString(), source.toString(), mnt.toString())) {
            try (OutputStream in = p.process.getOutputStream()) {
                in.write((key.group() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            assertTrue(p.process.waitFor(60, TimeUnit.SECONDS), p.output());
            assertEquals(0, p.process.exitValue(), p.output());
        }
        long server = Reaper.server(mnt);
        try (var names = Files.list(mnt)) {
            List<String> listed = new ArrayList<>(names.map(f -> f.getFileName().toString()).toList());
            assertTrue(listed.contains("gocryptfs.conf") && listed.contains("gocryptfs.diriv"), listed.toString());
        }
        assertEquals(0, new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor());
        assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
    }

    /** Datagrams until one contains {@code wanted} (it is the last of the list). */
    private static List<String> receive(UnixDatagram socket, String wanted, Duration timeout) throws Exception {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] d = socket.receive(65536);
            if (d == null) {
                Thread.sleep(20);
                continue;
            }
            String line = new String(d, StandardCharsets.UTF_8);
            got.add(line);
            if (line.contains(wanted)) {
                return got;
            }
        }
        throw new AssertionError("no datagram with '" + wanted + "' within " + timeout + "; got " + got);
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
}
