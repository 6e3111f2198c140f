package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A target serving a source directory: for FUSE targets, their process with
 * the source mounted; for the bare target, the source itself.
 */
public final class MountedTarget implements AutoCloseable {
    private final String label;
    /** panfuse unmounts itself on SIGTERM; the others are unmounted with fusermount3 -u. */
    private final boolean unmountsOnSigterm;
    private final Path root;
    private final Process process;
    private final Path log;
    private final Thread unmountAtExit = new Thread(() -> {
        try {
            unmount();
        } catch (IOException ignored) {
            // the JVM is exiting; nothing left to tell
        }
    });

    private MountedTarget(String label, boolean unmountsOnSigterm, Path root, Process process, Path log) {
        this.label = label;
        this.unmountsOnSigterm = unmountsOnSigterm;
        this.root = root;
        this.process = process;
        this.log = log;
    }

    /** Mounts {@code source} on {@code mountpoint} (or, for the bare target, just serves {@code source}). */
    public static MountedTarget start(Target target, Setting setting, Path source, Path mountpoint) throws IOException {
        if (!target.mounts()) {
            return new MountedTarget(target.label(), false, source, null, null);
        }
        return start(target.label(), target.command(setting, source, mountpoint), target.isPanfuse(), mountpoint);
    }

    /** Runs {@code command}, which mounts on {@code mountpoint} and stays in the foreground, and waits for the mount. */
    static MountedTarget start(String label, List<String> command, boolean unmountsOnSigterm, Path mountpoint)
            throws IOException {
        Path log = Files.createTempFile("panfuse-bench-" + label + "-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MountedTarget mounted = new MountedTarget(label, unmountsOnSigterm, mountpoint, p, log);
        // A JMH fork whose benchmark throws may exit without its trial tear-down; the mount must not outlive it.
        Runtime.getRuntime().addShutdownHook(mounted.unmountAtExit);
        mounted.awaitMounted(Duration.ofSeconds(30));
        return mounted;
    }

    /** The directory the workload runs in. */
    public Path root() {
        return root;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    private void awaitMounted(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (MountInfo.isMountPoint(root)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(label + " exited " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        process.destroyForcibly();
        throw new IOException(label + " did not mount within " + timeout + ": " + Files.readString(log));
    }

    /** Unmounts and waits for the process to end. */
    @Override
    public void close() throws IOException {
        if (process == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(unmountAtExit);
        } catch (IllegalStateException exiting) {
            // the hook is running or about to
        }
        unmount();
    }

    private void unmount() throws IOException {
        try {
            if (unmountsOnSigterm) {
                process.destroy(); // SIGTERM: panfuse unmounts itself
            } else {
                new ProcessBuilder("fusermount3", "-u", root.toString()).inheritIO().start().waitFor();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                new ProcessBuilder("fusermount3", "-u", "-z", root.toString()).inheritIO().start().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
