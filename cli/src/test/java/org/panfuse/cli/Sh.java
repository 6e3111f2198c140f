package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Shell scripts the integration tests run, as a user would type them. */
final class Sh {
    private Sh() {
    }

    /** Runs {@code script} in {@code dir}; it must succeed. Returns stdout and stderr together. */
    static String ok(Path dir, String script) throws Exception {
        Result r = run(dir, script);
        assertEquals(0, r.exit(), script + "\n" + r.output());
        return r.output();
    }

    /** Runs {@code script} in {@code dir}, whatever its exit status. */
    static Result run(Path dir, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), script);
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {
    }
}
