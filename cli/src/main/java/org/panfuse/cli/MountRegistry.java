package org.panfuse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;
import org.panfuse.fs.tree.Source;

/**
 * The state files of running mounts: each serving process writes
 * {@code /run/panfuse/<systemd-escaped mountpoint>.json} (as root; other users
 * {@code $XDG_RUNTIME_DIR/panfuse/}) once it serves, mode 0644, and removes it
 * at unmount. {@code panfuse list} reads them, because the mount table gives
 * neither the serving pid nor more than one source.
 *
 * <p>The mount command calls, once the mount serves and before it says so,
 * <pre>MountRegistry.Published published = MountRegistry.publish(mount, options, opened);</pre>
 * and after {@code mount.close()}: <pre>published.withdraw();</pre>
 * A file left behind by a process that died is harmless: {@code list}
 * cross-checks every file against mountinfo and the live pids (see
 * {@link RunningMounts}): it shows the mount as stale while it is there, and
 * ignores (as root, removes) the file once the mount is gone too.
 */
final class MountRegistry {
    /** Root's directory: under /run, a tmpfs emptied at boot, so nothing outlives the mounts it describes. */
    static final Path SYSTEM_DIR = Path.of("/run/panfuse");
    /** Where each user's runtime directory is (pam_systemd's XDG_RUNTIME_DIR). */
    private static final Path USER_RUNTIME = Path.of("/run/user");
    private static final String SUFFIX = ".json";

    private MountRegistry() {
    }

    /** A published state file, to withdraw at unmount. */
    static final class Published {
        private static final Published NONE = new Published(null, 0, null);

        private final Path file;
        private final long pid;
        private final Thread hook;

        private Published(Path file, long pid, Thread hook) {
            this.file = file;
            this.pid = pid;
            this.hook = hook;
        }

        /** The state file, or null if none was written. */
        Path file() {
            return file;
        }

        /**
         * Removes the state file, if it is still this process's (a later mount
         * on the same path, stacked on top, writes the same name). Idempotent.
         */
        void withdraw() {
            if (file == null) {
                return;
            }
            try {
                MountState state = MountState.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (state.pid() == pid) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException | IllegalArgumentException e) {
                // gone already, or not ours to remove
            }
            if (hook != null && Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook runs anyway
                }
            }
        }
    }

    /**
     * Writes the state file of a mount that serves now. Never fails the mount:
     * if the file cannot be written, one line says so and {@code list} shows
     * the mount from the mount table alone. The file also goes when the JVM
     * exits (a shutdown hook), should {@link Published#withdraw} not be reached.
     *
     * @param mount   the mount, serving
     * @param options what it was mounted with (the subtype tells the encrypted views, ro the read-only mounts)
     * @param sources the sources it opened (what it serves, as the kernel resolved them)
     */
    static Published publish(FuseMount mount, MountOptions options, List<Source> sources) {
        Path dir = ownDir();
        if (dir == null) {
            return Published.NONE; // no runtime directory for this user: nowhere private to write
        }
        MountState state;
        try {
            state = describe(mount, options, sources);
        } catch (UserError e) {
            System.err.println("panfuse: not registered for 'panfuse list': " + e.getMessage());
            return Published.NONE;
        }
        if (state == null) {
            return Published.NONE;
        }
        Path file;
        try {
            file = write(dir, state);
        } catch (IOException e) {
            System.err.println("panfuse: not registered for 'panfuse list': cannot write " + dir + ": " + e.getMessage());
            return Published.NONE;
        }
        Published[] self = new Published[1];
        Thread hook = Thread.ofPlatform().name("panfuse-withdraw").unstarted(() -> self[0].withdraw());
        self[0] = new Published(file, state.pid(), hook);
        Runtime.getRuntime().addShutdownHook(hook);
        return self[0];
    }

    /** The state of {@code mount} as this process serves it; null if the mount is not in this mount table. */
    static MountState describe(FuseMount mount, MountOptions options, List<Source> sources) {
        Path mountpoint = MountEntry.resolve(mount.mountpoint());
        MountEntry entry = MountEntry.on(MountEntry.readAll(), mountpoint);
        if (entry == null || !entry.isPanfuse()) {
            return null;
        }
        MountState.Mode mode = switch (options.subtype()) {
            case "panfuse-encrypt" -> MountState.Mode.ENCRYPTED_VIEW;
            case "panfuse-decrypt" -> MountState.Mode.DECRYPTED_VIEW;
            // A config file's sources are entries of the root, even when it names one.
            default -> sources.size() == 1 && sources.get(0).name() == null ? MountState.Mode.PASSTHROUGH
                    : MountState.Mode.MULTI_SOURCE;
        };
        var kernel = mount.kernelPassthrough();
        // A read-only mount reads through panfuse even where the kernel would pass files through
        // (the kernel's own open would touch atime): in force only where the kernel took it and the mount writes.
        boolean inForce = kernel.inForce() && !options.readOnly();
        boolean view = mode == MountState.Mode.ENCRYPTED_VIEW || mode == MountState.Mode.DECRYPTED_VIEW;
        String note = view ? "not used: a view encrypts or decrypts every block it serves"
                : inForce || !kernel.inForce() ? kernel.reason()
                : "not used: a read-only mount reads through panfuse";
        List<MountState.SourceEntry> served = new ArrayList<>();
        for (Source s : sources) {
            served.add(new MountState.SourceEntry(s.name(), s.realPath()));
        }
        ProcessHandle self = ProcessHandle.current();
        return new MountState(VersionProvider.version(), self.pid(), self.info().startInstant().orElse(null),
                Instant.now(), mountpoint, entry.device(), entry.type(), mode, options.readOnly(), inForce, note,
                List.copyOf(served));
    }

    /** Writes {@code state} into {@code dir} (made if missing) at once: readers see the old file or the new one. */
    static Path write(Path dir, MountState state) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            // As made, not as the umask would have it: readable by all, like /proc/mounts.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path file = fileFor(dir, state.mountpoint());
        Path tmp = dir.resolve("." + file.getFileName() + "." + state.pid() + ".tmp");
        Files.writeString(tmp, state.toText(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The state file of a mount on {@code mountpoint} in {@code dir}. */
    static Path fileFor(Path dir, Path mountpoint) {
        return dir.resolve(SystemdEscape.path(mountpoint) + SUFFIX);
    }

    /** This user's directory: {@link #SYSTEM_DIR} for root, else $XDG_RUNTIME_DIR/panfuse; null if there is none. */
    static Path ownDir() {
        if (org.panfuse.bindings.panfuse_h.geteuid() == 0) {
            return SYSTEM_DIR;
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "panfuse");
        }
        Path own = USER_RUNTIME.resolve(Integer.toString(org.panfuse.bindings.panfuse_h.geteuid()));
        return Files.isDirectory(own) ? own.resolve("panfuse") : null;
    }

    /** Every directory {@code list} reads: root's and each user's that this user may read. */
    static List<Path> allDirs() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(SYSTEM_DIR);
        try (DirectoryStream<Path> users = Files.newDirectoryStream(USER_RUNTIME)) {
            for (Path user : users) {
                dirs.add(user.resolve("panfuse"));
            }
        } catch (IOException e) {
            // no /run/user: root's directory alone
        }
        Path own = ownDir();
        if (own != null && !dirs.contains(own)) {
            dirs.add(own);
        }
        return dirs;
    }

    /** The state files in {@code dir}: regular files (no symlinks) named *.json; none if it cannot be read. */
    static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : stream) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !f.getFileName().toString().startsWith(".")) {
                    files.add(f);
                }
            }
        } catch (IOException e) {
            // missing, or another user's: nothing to read there
        }
        return files;
    }
}
