package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * {@code panfuse list} against the mount jar's mounts: a mount whose server
 * published its state is shown with pid, mode and sources (table and JSON);
 * one without shows what the mount table says; one whose server was killed is
 * shown stale until unmounted; a state file whose server and mount are gone is
 * not shown, and root's list removes it.
 */
class ListIT {
    private Path base;
    private Path source;
    private Path mnt;
    private Path stateFile;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-list-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        stateFile = MountRegistry.fileFor(MountRegistry.SYSTEM_DIR, mnt);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (MountTable.isMountPoint(mnt)) {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
        Files.deleteIfExists(stateFile);
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private JarProcess mount(String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("mount"));
        args.addAll(List.of(options));
        args.addAll(List.of(source.toString(), mnt.toString()));
        JarProcess p = JarProcess.start(args.toArray(String[]::new));
        p.awaitMounted(mnt, Duration.ofSeconds(20));
        for (long deadline = System.nanoTime() + 20_000_000_000L; !p.output().contains(" mounted on ");
                Thread.sleep(20)) {
            assertTrue(System.nanoTime() < deadline && p.process.isAlive(), p.output());
        }
        return p;
    }

    /** list's table line for MNT (other mounts of other tests may be listed too), or null. */
    private String tableLine() throws Exception {
        JarProcess.Result r = JarProcess.run("list");
        assertEquals(0, r.exit(), r.output());
        String[] lines = r.output().split("\n");
        assertTrue(lines[0].startsWith("MOUNTPOINT") || lines[0].equals("no panfuse mounts"), r.output());
        for (String line : lines) {
            if (line.startsWith(mnt + " ")) {
                return line.replaceAll(" {2,}", " | ");
            }
        }
        return null;
    }

    /** list --json's object for MNT, or null. */
    private JsonObject jsonEntry() throws Exception {
        JarProcess.Result r = JarProcess.run("list", "--json");
        assertEquals(0, r.exit(), r.output());
        for (JsonElement e : JsonParser.parseString(r.output()).getAsJsonArray()) {
            if (e.getAsJsonObject().get("mountpoint").getAsString().equals(mnt.toString())) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    /** What the mount command publishes for a plain mount of SOURCE by {@code server}. */
    private MountState stateOf(JarProcess server, boolean kernelPassthrough) {
        ProcessHandle handle = server.process.toHandle();
        MountEntry entry = MountEntry.on(MountEntry.readAll(), mnt);
        return new MountState("test", handle.pid(), handle.info().startInstant().orElseThrow(), Instant.now(), mnt,
                entry.device(), entry.type(), MountState.Mode.PASSTHROUGH, false, kernelPassthrough, "as the test says",
                List.of(new MountState.SourceEntry(null, source)));
    }

    @Test
    void aPublishedMountIsListedWithPidModeAndSourcesAndItsFileGoesWithIt() throws Exception {
        try (JarProcess server = mount()) {
            // The state its server publishes (written here for it: the same file, whoever writes it).
            MountRegistry.write(MountRegistry.SYSTEM_DIR, stateOf(server, true));
            assertEquals(mnt + " | " + server.process.pid() + " | passthrough, kernel passthrough | " + source,
                    tableLine());
            JsonObject json = jsonEntry();
            assertNotNull(json);
            assertEquals(server.process.pid(), json.get("pid").getAsLong());
            assertEquals("passthrough", json.get("mode").getAsString());
            assertEquals("fuse.panfuse", json.get("type").getAsString());
            assertEquals(source.toString(), json.get("fsname").getAsString());
            assertFalse(json.get("readOnly").getAsBoolean());
            assertTrue(json.get("kernelPassthrough").getAsBoolean());
            assertEquals(source.toString(),
                    json.getAsJsonArray("sources").get(0).getAsJsonObject().get("path").getAsString());
            assertTrue(json.getAsJsonArray("sources").get(0).getAsJsonObject().get("name").isJsonNull());

            server.signal("TERM");
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), server.output());
        }
        assertNull(tableLine(), "unmounted, not listed");
        assertFalse(Files.exists(stateFile), "its server is gone: root's list removed the file");
    }

    @Test
    void aMountWithoutStateShowsTheMountTablesWordsAndAStateOfAnotherMountIsNotBelieved() throws Exception {
        try (JarProcess server = mount("--read-only")) {
            Files.deleteIfExists(stateFile);
            assertEquals(mnt + " | - | ? (no state file), read-only | " + source, tableLine());
            JsonObject json = jsonEntry();
            assertTrue(json.get("pid").isJsonNull() && json.get("mode").isJsonNull() && json.get("sources").isJsonNull(),
                    json.toString());
            assertTrue(json.get("readOnly").getAsBoolean());

            // A live process, but the file names another device (an earlier mount on the same path): not this mount's.
            MountState s = stateOf(server, false);
            MountRegistry.write(MountRegistry.SYSTEM_DIR, new MountState(s.version(), s.pid(), s.processStart(),
                    s.started(), s.mountpoint(), "0:0", s.type(), s.mode(), s.readOnly(), s.kernelPassthrough(),
                    s.passthroughNote(), s.sources()));
            assertTrue(tableLine().contains(" | - | "), tableLine());
            assertTrue(Files.exists(stateFile), "its process lives: not removed");
            server.signal("TERM");
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), server.output());
        }
    }

    @Test
    void aMountWhoseServerDiedIsListedStaleAndUnmountClearsIt() throws Exception {
        try (JarProcess server = mount()) {
            MountRegistry.write(MountRegistry.SYSTEM_DIR, stateOf(server, true));
            server.signal("KILL");
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
            assertTrue(MountTable.isMountPoint(mnt), "left behind");
            assertEquals(mnt + " | - | passthrough, kernel passthrough; STALE: its server (pid " + server.process.pid()
                    + ") is gone, panfuse unmount clears it | " + source, tableLine());
            assertFalse(jsonEntry().get("serving").getAsBoolean());
            assertTrue(Files.exists(stateFile), "kept while the stale mount is there");
            JarProcess.Result r = JarProcess.run("unmount", mnt.toString());
            assertEquals(0, r.exit(), r.output());
            assertEquals("panfuse: unmounted " + mnt, r.output().strip());
            assertFalse(MountTable.isMountPoint(mnt));
        }
        assertNull(tableLine());
        assertFalse(Files.exists(stateFile), "mount and server gone: removed");
    }

    @Test
    void anUnknownOptionIsOneLine() throws Exception {
        JarProcess.Result r = JarProcess.run("list", "--tree");
        assertEquals(2, r.exit(), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().startsWith("panfuse: Unknown option: '--tree'"), r.output());
    }

    /**
     * The mount command itself publishes and withdraws its state: enable once
     * MountCommand calls MountRegistry.publish and Published.withdraw (see
     * MountRegistry's javadoc).
     */
    @Test
    void theMountCommandPublishesItsStateAndWithdrawsItAtUnmount() throws Exception {
        try (JarProcess server = mount()) {
            assertTrue(Files.exists(stateFile), stateFile + " written: " + server.output());
            MountState s = MountState.parse(Files.readString(stateFile));
            assertEquals(server.process.pid(), s.pid());
            assertEquals(List.of(new MountState.SourceEntry(null, source)), s.sources());
            assertEquals(mnt + " | " + server.process.pid() + " | passthrough, kernel passthrough | " + source,
                    tableLine());
            assertEquals(0, JarProcess.run("unmount", mnt.toString()).exit());
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), server.output());
            assertFalse(Files.exists(stateFile), "withdrawn at unmount");
        }
    }
}
