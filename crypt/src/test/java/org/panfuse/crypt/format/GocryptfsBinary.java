package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The installed gocryptfs 2.x, driven as a user would: the oracle the format
 * tests compare against. Missing binaries fail the test (they are a setup
 * error here, not a reason to skip).
 */
final class GocryptfsBinary {
    static final String GOCRYPTFS = "/usr/bin/gocryptfs";
    static final String XRAY = "/usr/bin/gocryptfs-xray";
    /** gocryptfs -init shows the key in two indented lines of four groups each. */
    private static final Pattern SHOWN_KEY = Pattern.compile("Your master key is:\\s+([0-9a-f]{8}(?:-\\s*[0-9a-f]{8}){7})");

    private GocryptfsBinary() {
    }

    static void requireInstalled() {
        for (String tool : new String[] {GOCRYPTFS, XRAY, "/usr/bin/script", "/usr/bin/fusermount3"}) {
            if (!Files.isExecutable(Path.of(tool))) {
                fail(tool + " is missing: these tests compare panfuse with gocryptfs (apt-get install gocryptfs fuse3 util-linux)");
            }
        }
        String version = run(List.of(GOCRYPTFS, "-version"), null);
        assertTrue(version.startsWith("gocryptfs 2."), version);
    }

    /**
     * gocryptfs -init -reverse on {@code plain} with the password in {@code passfile}
     * and scrypt cost 2^10; returns the master key as it showed it. It shows the key
     * only on a terminal, so it runs under script(1).
     */
    static String initReverse(Path plain, Path passfile, String... extra) {
        StringBuilder command = new StringBuilder(GOCRYPTFS + " -init -reverse -scryptn 10");
        for (String option : extra) {
            command.append(' ').append(option);
        }
        command.append(" -passfile ").append(quoted(passfile)).append(' ').append(quoted(plain));
        String shown = run(List.of("/usr/bin/script", "-q", "-e", "-c", command.toString(), "/dev/null"), null);
        // On a terminal the key comes dimmed: drop the colour escapes around it.
        Matcher key = SHOWN_KEY.matcher(shown.replaceAll("\u001b\\[[0-9;]*m", ""));
        assertTrue(key.find(), "gocryptfs -init showed no master key:\n" + shown);
        return key.group(1);
    }

    /** The master key gocryptfs-xray reads out of {@code conf} with {@code password} (on its standard input). */
    static String dumpMasterKey(Path conf, String password) {
        return run(List.of(XRAY, "-dumpmasterkey", conf.toString()), password + "\n").strip();
    }

    /** Mounts the reverse view of {@code plain} on {@code mountpoint}; returns once it is up. */
    static void mountReverse(Path plain, Path mountpoint, Path passfile) {
        run(List.of(GOCRYPTFS, "-reverse", "-nosyslog", "-q", "-passfile", passfile.toString(), plain.toString(),
                mountpoint.toString()), null);
    }

    static void unmount(Path mountpoint) {
        for (int attempt = 0; ; attempt++) {
            try {
                run(List.of("/usr/bin/fusermount3", "-u", mountpoint.toString()), null);
                return;
            } catch (AssertionError busy) {
                if (attempt == 20) {
                    throw busy;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    /**
     * Runs {@code command} to completion within a minute; its standard output, or a
     * failed assertion with both streams. The streams go to files, not pipes: a
     * mounting gocryptfs leaves a daemon behind that may keep them open.
     */
    static String run(List<String> command, String stdin) {
        try {
            Path out = Files.createTempFile("gocryptfs", ".out");
            Path err = Files.createTempFile("gocryptfs", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                Process process = builder.start();
                if (stdin != null) {
                    try (var in = process.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(command + " did not finish within a minute");
                }
                assertEquals(0, process.exitValue(), () -> command + " failed:\n" + readQuietly(out) + readQuietly(err));
                return readQuietly(out);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
