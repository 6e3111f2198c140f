package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * Nothing outside SOURCE is reached by the filesystem itself, and with
 * allow_other the kernel applies the file modes to other users.
 */
class ConfinementTest {

    @Test
    void symlinksPointingOutsideAreServedAsLinksAndNeverFollowedByTheFilesystem() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Path outside = Files.createDirectory(m.base.resolve("outside"));
            Path target = Files.writeString(outside.resolve("target"), "outside data");
            String before = Posix.lstat(target) + Posix.times(target);
            Files.createSymbolicLink(m.src("escape"), target);
            Files.createSymbolicLink(m.src("up"), Path.of("../outside"));

            assertEquals("ok " + target, Posix.readlink(m.mnt("escape")));
            assertTrue(Posix.lstat(m.mnt("escape")).contains("mode=0120777"));
            // Operations on the link itself (no-follow variants) reach the link, not the target.
            assertEquals("ok", Posix.chown(m.mnt("escape"), 4242, 4242, false));
            assertEquals("ok", Posix.utimens(m.mnt("escape"), 1, 0, 2, 0, false));
            assertEquals(before, Posix.lstat(target) + Posix.times(target), "target untouched");
            assertTrue(Posix.lstat(m.src("escape")).contains("uid=4242"));
            // Directories reached through a link are the kernel's doing, as on any filesystem:
            // ".." of the mount's root is the mount's root.
            assertEquals(Posix.stat(m.mountpoint), Posix.stat(m.mountpoint.resolve("..").resolve(m.mountpoint.getFileName())));
        }
    }

    @Test
    void renamingParentsWhileLookupsRunStaysInsideAndConsistent() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults().withCache(CachePolicy.NEVER),
                MountOptions.defaults())) {
            Files.createDirectories(m.src("p1/x"));
            Files.writeString(m.src("p1/x/y"), "payload");
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> failures = new ArrayList<>();
            Thread renamer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 300 && !stop.get(); i++) {
                        // Half through the mount, half behind its back.
                        if (i % 2 == 0) {
                            Files.move(m.mnt("p1"), m.mnt("p2"));
                            Files.move(m.src("p2"), m.src("p1"));
                        } else {
                            Files.move(m.src("p1"), m.src("p2"));
                            Files.move(m.mnt("p2"), m.mnt("p1"));
                        }
                    }
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            });
            int seen = 0;
            while (renamer.isAlive()) {
                for (String p : List.of("p1/x/y", "p2/x/y")) {
                    try {
                        assertEquals("payload", Files.readString(m.mnt(p)));
                        seen++;
                    } catch (NoSuchFileException moved) {
                        // renamed away between lookup steps: what the bare tree would say too
                    }
                }
            }
            stop.set(true);
            renamer.join();
            assertEquals(List.of(), failures);
            assertTrue(seen > 0);
            assertEquals(List.of("p1"), TreeSnapshot.names(m.mountpoint));
            assertEquals("payload", Files.readString(m.mnt("p1/x/y")));
        }
    }

    private static Shell.Result asNobody(String script) throws Exception {
        return Shell.run(Path.of("/"), java.util.Map.of(), "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "sh", "-c", script);
    }

    @Test
    void allowOtherAppliesFileModesToOtherUsers() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(),
                MountOptions.defaults().withAllowOther(true).withDefaultPermissions(true))) {
            for (Path p : List.of(m.base, m.mountpoint)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(m.source, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(m.src("public"), "for everyone");
            Files.setPosixFilePermissions(m.src("public"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(m.src("secret"), "root only");
            Files.setPosixFilePermissions(m.src("secret"), PosixFilePermissions.fromString("rw-------"));
            Files.createDirectory(m.src("shared"));
            Files.setPosixFilePermissions(m.src("shared"), PosixFilePermissions.fromString("rwxrwxrwx"));

            assertEquals("for everyone", asNobody("cat " + m.mnt("public")).output());
            Shell.Result secret = asNobody("cat " + m.mnt("secret"));
            assertEquals(1, secret.exit());
            assertTrue(secret.output().contains("Permission denied"), secret.output());
            Shell.Result write = asNobody("echo x > " + m.mnt("public"));
            assertTrue(write.exit() != 0 && write.output().contains("Permission denied"),
                    "0644 root file is not writable by others: " + write);
            assertEquals(0, asNobody("echo mine > " + m.mnt("shared/mine")).exit());
            assertTrue(Posix.lstat(m.src("shared/mine")).contains("uid=65534 gid=65534"),
                    "files others create are theirs: " + Posix.lstat(m.src("shared/mine")));

            String options = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .filter(l -> l.split(" ")[1].equals(m.mountpoint.toString())).findFirst().orElseThrow();
            assertTrue(options.contains("nosuid") && options.contains("nodev"), options);
            assertTrue(options.contains("allow_other") && options.contains("default_permissions"), options);
        }
    }

    /**
     * The kernel sends CREATE when it believes a name absent (here: remembered
     * absent for a day). Whatever appears in the source since is never opened by
     * the server: the kernel is told to look again (ESTALE) and opens what it
     * finds itself, as the caller, exactly as on the bare directory. A symlink
     * planted to a root-owned file outside is followed with the caller's rights
     * only: another user is refused.
     */
    @Test
    void createNeverOpensWhatWasPlantedAfterTheLookup() throws Exception {
        try (MountedSource m = MountedSource.mount(
                PassthroughOptions.defaults().withCache(CachePolicy.ALWAYS).withDefaultPermissions(true),
                MountOptions.defaults().withAllowOther(true).withDefaultPermissions(true))) {
            for (Path p : List.of(m.base, m.mountpoint, m.source)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path victim = Files.writeString(Files.createDirectory(m.base.resolve("outside")).resolve("victim"), "intact");
            Files.createDirectory(m.src("open"));
            Files.setPosixFilePermissions(m.src("open"), PosixFilePermissions.fromString("rwxrwxrwx"));
            for (String name : List.of("by-nobody", "plain")) {
                assertFalse(Files.exists(m.mnt("open/" + name)));
            }
            Files.createSymbolicLink(m.src("open/by-nobody"), victim);
            Files.writeString(m.src("open/plain"), "planted");
            Files.setPosixFilePermissions(m.src("open/plain"), PosixFilePermissions.fromString("rw-rw-rw-"));

            Shell.Result nobody = asNobody("echo overwritten > " + m.mnt("open/by-nobody"));
            assertTrue(nobody.exit() != 0 && nobody.output().contains("Permission denied"), nobody.toString());
            assertEquals("intact", Files.readString(victim));
            // A file that appeared is opened as if the kernel had seen it: written, not replaced.
            assertEquals(0, asNobody("echo appended >> " + m.mnt("open/plain")).exit());
            assertEquals("plantedappended\n", Files.readString(m.src("open/plain")));
        }
    }

    /**
     * A FIFO planted after a negative lookup would block any worker that opened
     * it: twelve writers (more than the ten workers) wait on it, each in its own
     * process as on the bare directory, and the mount still answers.
     */
    @Test
    void aPlantedFifoBlocksOnlyItsCallers() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults().withCache(CachePolicy.ALWAYS),
                MountOptions.defaults().withThreads(10))) {
            Files.writeString(m.src("other"), "still served");
            List<Process> writers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                assertFalse(Files.exists(m.mnt("fifo" + i)));
                Shell.sh(m.source, "mkfifo fifo" + i);
                writers.add(new ProcessBuilder("sh", "-c", "echo x > " + m.mnt("fifo" + i)).start());
            }
            Thread.sleep(300);
            Shell.Result r = Shell.run(Path.of("/"), java.util.Map.of(), "timeout", "5", "cat", m.mnt("other").toString());
            assertEquals(0, r.exit(), "the mount answers while twelve writers wait: " + r);
            assertEquals("still served", r.output());
            for (int i = 0; i < 12; i++) {
                // A FIFO's pipe belongs to the inode it was opened through: the reader uses the mount too.
                assertEquals("x\n", Shell.sh(m.mountpoint, "cat fifo" + i), "writer " + i + " was waiting for a reader");
            }
            for (Process w : writers) {
                assertTrue(w.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void withoutAllowOtherOtherUsersAreShutOut() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            for (Path p : List.of(m.base, m.mountpoint, m.source)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(m.src("public"), "x");
            Shell.Result r = asNobody("cat " + m.mnt("public"));
            assertEquals(1, r.exit());
            assertTrue(r.output().contains("Permission denied"), r.output());
            assertFalse(Files.readString(m.mnt("public")).isEmpty()); // the owner still gets in
        }
    }

}
