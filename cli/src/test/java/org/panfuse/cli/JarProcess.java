package org.panfuse.cli;

import org.panfuse.fs.posix.MountTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The mount jar run as users run it: {@code java -jar panfuse.jar ...} in a child process. */
final class JarProcess implements AutoCloseable {
    static final Path JAR = Path.of("target/panfuse.jar").toAbsolutePath();
    static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    final Process process;
    final Path stderr;

    private JarProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Starts {@code prefix... java -jar panfuse.jar args...}; stdout and stderr go to one file. */
    static JarProcess start(List<String> prefix, String java, String... args) throws IOException {
        return start(Map.of(), prefix, java, args);
    }

    /** The same with {@code env} added to the environment (NOTIFY_SOCKET, PANFUSE_SYSLOG_SOCKET). */
    static JarProcess start(Map<String, String> env, List<String> prefix, String java, String... args)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: these tests run after 'package'");
        }
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("panfuse-jar-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new JarProcess(p, out);
    }

    static JarProcess start(String... args) throws IOException {
        return start(List.of(), JAVA, args);
    }

    /** Runs to completion (bad-input cases end at once). */
    static Result run(List<String> prefix, String java, String... args) throws Exception {
        try (JarProcess p = start(prefix, java, args)) {
            if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("panfuse did not exit: " + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    static Result run(String... args) throws Exception {
        return run(List.of(), JAVA, args);
    }

    /** Runs to completion with {@code env} added to the environment. */
    static Result run(Map<String, String> env, String... args) throws Exception {
        try (JarProcess p = start(env, List.of(), JAVA, args)) {
            if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("panfuse did not exit: " + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    record Result(int exit, String output) {
    }

    String output() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Waits until {@code mountpoint} shows up in the mount table. */
    void awaitMounted(Path mountpoint, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (MountTable.isMountPoint(mountpoint)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("panfuse exited " + process.exitValue() + ": " + output());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not mounted after " + timeout + ": " + output());
    }

    void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderr);
    }
}
