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
    private final Target target;
    private final Path root;
    private final Process process;
    private final Path log;

    private MountedTarget(Target target, Path root, Process process, Path log) {
        this.target = target;
        this.root = root;
        this.process = process;
        this.log = log;
    }

    /** Mounts {@code source} on {@code mountpoint} (or, for the bare target, just serves {@code source}). */
    public static MountedTarget start(Target target, Setting setting, Path source, Path mountpoint) throws IOException {
        if (!target.mounts()) {
            return new MountedTarget(target, source, null, null);
        }
        Path log = Files.createTempFile("panfuse-bench-" + target.label() + "-", ".log");
        List<String> command = target.command(setting, source, mountpoint);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MountedTarget mounted = new MountedTarget(target, mountpoint, p, log);
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
                throw new IOException(target.label() + " exited " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        process.destroyForcibly();
        throw new IOException(target.label() + " did not mount within " + timeout + ": " + Files.readString(log));
    }

    /** Unmounts and waits for the process to end. */
    @Override
    public void close() throws IOException {
        if (process == null) {
            return;
        }
        try {
            if (target == Target.PANFUSE) {
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
