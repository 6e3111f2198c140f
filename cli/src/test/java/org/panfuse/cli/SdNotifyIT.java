package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * sd_notify as systemd's Type=notify sees it: a datagram socket of the
 * test's in NOTIFY_SOCKET (a path, and an abstract name as systemd gives
 * it), READY=1 once the mount serves, STOPPING=1 when it unmounts; in the
 * background the command itself says READY=1 with the server as MAINPID.
 */
class SdNotifyIT {
    private Path base;
    private Path source;
    private Path mnt;

    @BeforeAll
    static void adoptOrphans() throws Throwable {
        Reaper.becomeSubreaper();
    }

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-notify-");
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
    void foregroundSaysReadyOnceMountedAndStoppingAtTheEnd() throws Exception {
        String address = base.resolve("notify.sock").toString();
        try (UnixDatagram systemd = UnixDatagram.open(true);
                JarProcess p = startWith(systemd, address, "mount", "-f", source.toString(), mnt.toString())) {
            String ready = await(systemd, p);
            // Checked as soon as it arrived: the mount serves already.
            assertTrue(MountTable.isMountPoint(mnt), "READY=1 only once mounted");
            assertEquals("from the source", Files.readString(mnt.resolve("hello")));
            assertEquals("READY=1\nSTATUS=" + source + " mounted on " + mnt + "\n", ready);
            p.signal("TERM");
            assertEquals("STOPPING=1\n", await(systemd, p));
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.process.exitValue(), p.output());
        }
    }

    /** systemd gives an abstract socket as '@name'. */
    @Test
    void abstractSocketAddress() throws Exception {
        String address = "@panfuse-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (UnixDatagram systemd = UnixDatagram.open(true);
                JarProcess p = startWith(systemd, address, "mount", source.toString(), mnt.toString())) {
            assertTrue(await(systemd, p).startsWith("READY=1\n"));
            assertTrue(MountTable.isMountPoint(mnt));
            p.signal("TERM");
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** In the background the command, systemd's main process, names the server before it exits. */
    @Test
    void backgroundNamesTheServerAsMainPid() throws Throwable {
        String address = base.resolve("notify.sock").toString();
        try (UnixDatagram systemd = UnixDatagram.open(true)) {
            systemd.bind(address);
            Path log = base.resolve("log");
            JarProcess.Result r = JarProcess.run(Map.of(SdNotify.SOCKET_VARIABLE, address), source.toString(),
                    mnt.toString(), "-o", "log_file=" + log);
            assertEquals(0, r.exit(), r.output());
            long server = Reaper.server(mnt);
            byte[] datagram = systemd.receive(4096);
            assertTrue(datagram != null, "sent before the command exited");
            assertEquals("READY=1\nMAINPID=" + server + "\n", new String(datagram, StandardCharsets.UTF_8));
            assertEquals(null, systemd.receive(4096), "the server itself does not notify (it is not systemd's child)");
            assertEquals(0, new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor());
            assertEquals(0, Reaper.awaitExit(server, Duration.ofSeconds(30)));
            assertEquals(null, systemd.receive(4096));
        }
    }

    private JarProcess startWith(UnixDatagram systemd, String address, String... args) throws IOException {
        systemd.bind(address);
        return JarProcess.start(Map.of(SdNotify.SOCKET_VARIABLE, address), java.util.List.of(), JarProcess.JAVA, args);
    }

    /** The next datagram, while the process lives. */
    private static String await(UnixDatagram systemd, JarProcess p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            byte[] d = systemd.receive(4096);
            if (d != null) {
                return new String(d, StandardCharsets.UTF_8);
            }
            if (!p.process.isAlive()) {
                throw new AssertionError("panfuse exited " + p.process.exitValue() + " without notifying: " + p.output());
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no notification within 30 s: " + p.output());
    }
}
