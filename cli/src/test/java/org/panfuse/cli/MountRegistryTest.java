package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;
import org.panfuse.fs.passthrough.PassthroughFs;
import org.panfuse.fs.passthrough.PassthroughOptions;
import org.panfuse.fs.tree.SourceSpec;

/**
 * A mount made in this process publishes its state (as the mount command
 * does), list's cross-check finds it, and the file goes at withdraw; files
 * whose writer is gone are stale, and files that speak for another user's
 * process are not believed.
 */
class MountRegistryTest {
    private Path base;
    private Path source;
    private Path mnt;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-registry-");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static RunningMounts.Running runningOn(List<RunningMounts.Running> all, Path mountpoint) {
        return all.stream().filter(r -> r.mount().mountPoint().equals(mountpoint)).findFirst().orElse(null);
    }

    @Test
    void aServingMountPublishesListFindsItAndWithdrawRemovesIt() throws Exception {
        MountOptions options = MountOptions.defaults().withFsName(source.toString());
        try (PassthroughFs fs = PassthroughFs.open(source, PassthroughOptions.defaults());
                FuseMount mount = FuseMount.mount(fs, mnt, options)) {
            MountRegistry.Published published = MountRegistry.publish(mount, options, fs.sources());
            Path file = published.file();
            try {
                assertEquals(MountRegistry.fileFor(MountRegistry.SYSTEM_DIR, mnt), file, "root writes /run/panfuse");
                assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(MountRegistry.SYSTEM_DIR)));
                MountState state = MountState.parse(Files.readString(file));
                assertEquals(ProcessHandle.current().pid(), state.pid());
                assertEquals(mnt, state.mountpoint());
                assertEquals(MountState.Mode.PASSTHROUGH, state.mode());
                assertEquals(List.of(new MountState.SourceEntry(null, source)), state.sources());
                assertEquals("fuse.panfuse", state.type());
                assertFalse(state.readOnly());
                assertEquals(mount.kernelPassthrough().inForce(), state.kernelPassthrough());
                assertEquals(mount.kernelPassthrough().reason(), state.passthroughNote());

                RunningMounts.Running r = runningOn(RunningMounts.find(MountEntry.readAll(),
                        List.of(MountRegistry.SYSTEM_DIR), false), mnt);
                assertNotNull(r, "listed");
                assertEquals(state, r.state());
                assertTrue(r.serving());
            } finally {
                published.withdraw();
            }
            assertFalse(Files.exists(file), "withdrawn");
            published.withdraw(); // twice is fine
            assertNull(runningOn(RunningMounts.find(MountEntry.readAll(), List.of(MountRegistry.SYSTEM_DIR), false),
                    mnt).state(), "still mounted, no state any more");
        }
    }

    @Test
    void theModeComesFromTheSourcesTheSubtypeAndReadOnly() throws Exception {
        Path other = Files.createDirectory(base.resolve("other"));
        List<SourceSpec> specs = List.of(SourceSpec.of("a", source), SourceSpec.of("b", other));
        MountOptions options = MountOptions.defaults().withFsName("cfg").withReadOnly(true);
        try (PassthroughFs fs = PassthroughFs.open(specs, PassthroughOptions.defaults().withReadOnly(true), 0, 0);
                FuseMount mount = FuseMount.mount(fs, mnt, options)) {
            MountState s = MountRegistry.describe(mount, options, fs.sources());
            assertEquals(MountState.Mode.MULTI_SOURCE, s.mode());
            assertTrue(s.readOnly());
            assertFalse(s.kernelPassthrough(), "a read-only mount reads through panfuse");
            assertEquals(List.of(new MountState.SourceEntry("a", source), new MountState.SourceEntry("b", other)),
                    s.sources());
        }
        MountOptions view = MountOptions.defaults().withFsName("v").withReadOnly(true).withSubtype("panfuse-encrypt");
        try (PassthroughFs fs = PassthroughFs.open(source, PassthroughOptions.defaults().withReadOnly(true));
                FuseMount mount = FuseMount.mount(fs, mnt, view)) {
            MountState s = MountRegistry.describe(mount, view, fs.sources());
            assertEquals(MountState.Mode.ENCRYPTED_VIEW, s.mode());
            assertEquals("fuse.panfuse-encrypt", s.type());
            assertFalse(s.kernelPassthrough());
            assertTrue(s.passthroughNote().contains("encrypts or decrypts every block"), s.passthroughNote());
        }
    }

    @Test
    void staleFilesAreIgnoredAndCleanedAndOthersFilesNotBelieved() throws Exception {
        Path dir = base.resolve("state");
        Path dead = Path.of("/mnt/dead");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path deadFile = MountRegistry.write(dir, MountStateTest.sample(gone.pid(), dead, "0:1"));
        long self = ProcessHandle.current().pid();
        Instant selfStart = ProcessHandle.current().info().startInstant().orElseThrow();
        MountState reused = new MountState("0.1.0", self, selfStart.minusSeconds(3600), Instant.now(),
                Path.of("/mnt/reused"), "0:2", "fuse.panfuse", MountState.Mode.PASSTHROUGH, false, false, "",
                List.of(new MountState.SourceEntry(null, Path.of("/s"))));
        Path reusedFile = MountRegistry.write(dir, reused);
        assertFalse(RunningMounts.alive(reused), "a pid that now names another process");

        RunningMounts.find(List.of(), List.of(dir), false);
        assertTrue(Files.exists(deadFile) && Files.exists(reusedFile), "left alone when not cleaning");
        RunningMounts.find(List.of(), List.of(dir), true);
        assertFalse(Files.exists(deadFile), "cleaned");
        assertFalse(Files.exists(reusedFile), "cleaned");

        // A live mount, but the file is another user's and speaks for root's process: not believed.
        MountOptions options = MountOptions.defaults().withFsName(source.toString());
        try (PassthroughFs fs = PassthroughFs.open(source, PassthroughOptions.defaults());
                FuseMount mount = FuseMount.mount(fs, mnt, options)) {
            Path file = MountRegistry.write(dir, MountRegistry.describe(mount, options, fs.sources()));
            assertNotNull(runningOn(RunningMounts.find(MountEntry.readAll(), List.of(dir), true), mnt).state());
            Files.setAttribute(file, "unix:uid", 65534);
            assertNull(runningOn(RunningMounts.find(MountEntry.readAll(), List.of(dir), true), mnt).state());
            assertTrue(Files.exists(file), "a live process's file is never removed");

            // The same mount, its state naming a process that is gone: stale, and the file kept while it is mounted.
            MountState live = MountRegistry.describe(mount, options, fs.sources());
            MountRegistry.write(dir, new MountState(live.version(), gone.pid(), null, live.started(), live.mountpoint(),
                    live.device(), live.type(), live.mode(), live.readOnly(), live.kernelPassthrough(),
                    live.passthroughNote(), live.sources()));
            RunningMounts.Running stale = runningOn(RunningMounts.find(MountEntry.readAll(), List.of(dir), true), mnt);
            assertEquals(gone.pid(), stale.state().pid());
            assertFalse(stale.serving());
            assertTrue(Files.exists(file));
        }
        RunningMounts.find(MountEntry.readAll(), List.of(dir), true);
        assertFalse(Files.exists(MountRegistry.fileFor(dir, mnt)), "unmounted and its process gone: removed");
    }
}
