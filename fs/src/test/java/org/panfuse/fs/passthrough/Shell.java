package org.panfuse.fs.passthrough;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real programs (rsync, tar, git, sqlite3, make) for the tests, failing loudly on a nonzero exit. */
final class Shell {
    private Shell() {
    }

    record Result(int exit, String output) {
    }

    static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out");
        }
        return new Result(p.exitValue(), out);
    }

    /** Runs {@code sh -c script} in {@code dir} and returns its output; a nonzero exit fails the test. */
    static String sh(Path dir, String script) throws IOException, InterruptedException {
        return sh(dir, Map.of(), script);
    }

    static String sh(Path dir, Map<String, String> env, String script) throws IOException, InterruptedException {
        Result r = run(dir, env, "sh", "-c", script);
        if (r.exit() != 0) {
            throw new AssertionError("exit " + r.exit() + " from: " + script + "\n" + r.output());
        }
        return r.output();
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
