package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * {@code panfuse mount --config FILE}: every mistake in the file as one line
 * naming FILE:LINE, --check, the command line winning over the file, and the
 * view used as backup programs use it (rsync, restic).
 */
class ConfigIT {
    private Path base;
    private Path mnt;
    private Path etc;
    private Path home;

    @BeforeEach
    void dirs() throws IOException {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-config-");
        mnt = Files.createDirectory(base.resolve("mnt"));
        etc = Files.createDirectory(base.resolve("etc"));
        home = Files.createDirectory(base.resolve("home"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (MountTable.isMountPoint(mnt)) {
            new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path config(String text) throws IOException {
        return Files.writeString(base.resolve("panfuse.toml"), text);
    }

    private String sources() {
        return "[[source]]\nname = \"etc\"\npath = \"" + etc + "\"\n\n[[source]]\nname = \"home\"\npath = \"home\"\n";
    }

    /** The one line and exit status for a config whose line {@code line} is wrong. */
    private void assertConfigError(String text, int exit, int line, String fragment) throws Exception {
        Path file = config(text);
        JarProcess.Result r = JarProcess.run("mount", "--config", file.toString(), mnt.toString());
        assertEquals(exit, r.exit(), r.output());
        String out = r.output().strip();
        assertEquals(1, out.lines().count(), "one line: " + out);
        assertTrue(out.startsWith("panfuse: " + file + ":" + line + ": "), "names the file and line " + line + ": " + out);
        assertTrue(out.contains(fragment), "'" + fragment + "' in: " + out);
        assertFalse(MountTable.isMountPoint(mnt));
    }

    @Test
    void everyMistakeIsOneLineWithFileAndLine() throws Exception {
        assertConfigError("cache = \"auto\"\nbogus = 1\n" + sources(), 2, 2, "unknown key 'bogus'");
        assertConfigError(sources() + "colour = \"red\"\n", 2, 8, "unknown key 'colour' in [[source]]");
        assertConfigError(sources().replace("name = \"home\"", "name = \"etc\""), 2, 6,
                "a second source named 'etc' (the first is on line 1)");
        assertConfigError(sources().replace("name = \"home\"", "name = \"a/b\""), 2, 6, "contains '/'");
        assertConfigError(sources().replace("name = \"home\"", "name = \"..\""), 2, 6, "cannot be an entry");
        assertConfigError(sources().replace("name = \"home\"", "name = \"\""), 2, 6, "cannot be an entry");
        assertConfigError(sources().replace("path = \"home\"", "path = \"missing\""), 1, 7, "does not exist");
        Files.writeString(base.resolve("file"), "");
        assertConfigError(sources().replace("path = \"home\"", "path = \"file\""), 1, 7, "is not a directory");
        Files.createDirectory(etc.resolve("inner"));
        assertConfigError(sources().replace("path = \"home\"", "path = \"etc/inner\""), 2, 7,
                "overlap: one lies inside the other");
        assertConfigError(sources().replace("path = \"home\"", "path = \"" + base + "\""), 2, 7, "overlap");
        assertConfigError("threads = \"many\"\n" + sources(), 2, 1, "threads must be a whole number");
        assertConfigError(sources() + "read_only = \"yes\"\n", 2, 8, "read_only must be true or false");
        assertConfigError(sources() + "exclude = [\"[a\"]\n", 2, 8, "not a valid gitignore pattern");
        assertConfigError("cache = \n" + sources(), 2, 1, "");
        assertConfigError("[[source]]\nname = \"x\"\n", 2, 1, "[[source]] without path");
        // The mountpoint inside a source: named by the source's line.
        Path inside = Files.createDirectory(home.resolve("mnt"));
        Path file = config(sources());
        JarProcess.Result r = JarProcess.run("mount", "--config", file.toString(), inside.toString());
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().strip().startsWith("panfuse: " + file + ":5: mountpoint " + inside + " lies inside source"),
                r.output());
        // No source at all, or no file.
        r = JarProcess.run("mount", "--config", config("cache = \"auto\"\n").toString(), mnt.toString());
        assertEquals(2, r.exit());
        assertTrue(r.output().contains("no [[source]] table"), r.output());
        r = JarProcess.run("mount", "--config", base.resolve("nope.toml").toString(), mnt.toString());
        assertEquals(1, r.exit());
        assertTrue(r.output().strip().equals("panfuse: config file " + base.resolve("nope.toml") + " does not exist"),
                r.output());
        r = JarProcess.run("mount", "--config", config(sources()).toString(), etc.toString(), mnt.toString());
        assertEquals(2, r.exit());
        assertTrue(r.output().contains("with --config, give only MOUNTPOINT"), r.output());
    }

    @Test
    void checkPrintsTheResolvedSourcesAndTheCommandLineWins() throws Exception {
        Path file = config("cache = \"never\"\nread_only = true\noptions = [\"noatime\"]\n\n" + sources()
                .replace("path = \"home\"\n", "path = \"home\"\nexclude = [\"*.tmp\", \"/cache\"]\none_file_system = true\n"));
        JarProcess.Result r = JarProcess.run("mount", "--config", file.toString(), "--check", "--cache=always",
                mnt.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals(file + ": 2 sources, mounted on " + mnt + "\n"
                + "  etc = " + etc + " (read-only)\n"
                + "  home = " + home + " (read-only, one file system, exclude *.tmp /cache)\n"
                + "options: cache=always read-only -o noatime\n", r.output());
        assertFalse(MountTable.isMountPoint(mnt), "--check mounts nothing");
    }

    private JarProcess mountConfig(Path file) throws Exception {
        JarProcess p = JarProcess.start("mount", "--config", file.toString(), mnt.toString());
        p.awaitMounted(mnt, Duration.ofSeconds(20));
        return p;
    }

    private static void stop(JarProcess p) throws Exception {
        p.signal("TERM");
        assertTrue(p.process.waitFor(30, TimeUnit.SECONDS), p.output());
        assertEquals(0, p.process.exitValue(), p.output());
    }

    private static String sh(Path dir, String script) throws Exception {
        return Sh.ok(dir, script);
    }

    /** A tree with what backups must keep: hard links, a sparse file, xattrs, symlinks, odd names. */
    private static void fill(Path dir) throws Exception {
        sh(dir, "mkdir -p a/b && echo one > a/f && ln a/f a/hard && ln -s f a/link && ln -s /etc/passwd abs"
                + " && truncate -s 100M sparse && echo tail >> sparse && setfattr -n user.note -v kept a/f"
                + " && printf 'x' > 'name with spaces' && echo deep > a/b/deep && chmod 640 a/b/deep");
    }

    @Test
    void rsyncOfTheWholeViewEqualsRsyncOfEachSource() throws Exception {
        fill(etc);
        fill(home);
        Path file = config(sources());
        Path viaView = Files.createDirectory(base.resolve("via-view"));
        Path direct = Files.createDirectory(base.resolve("direct"));
        JarProcess p = mountConfig(file);
        try {
            sh(base, "rsync -aHSX " + mnt + "/ " + viaView + "/");
        } finally {
            stop(p);
        }
        sh(base, "mkdir -p " + direct + "/etc " + direct + "/home && rsync -aHSX " + etc + "/ " + direct + "/etc/"
                + " && rsync -aHSX " + home + "/ " + direct + "/home/");
        // Contents, then what diff does not compare: links, modes, xattrs, sparseness.
        sh(base, "diff -r --no-dereference " + direct + " " + viaView);
        String describe = "cd %s && find . -mindepth 1 | LC_ALL=C sort | xargs -d '\\n' stat -c '%%n %%a %%h %%s %%b %%F'"
                + " && getfattr -R -d -m user. . 2>/dev/null | grep -v '^$'";
        assertEquals(sh(base, describe.formatted(direct)), sh(base, describe.formatted(viaView)));
    }

    /**
     * restic backs up the view twice with a remount between: the second run
     * finds nothing new or changed and adds no file data (restic compares
     * inode numbers); a changed file is exactly what the next run reports; a
     * restore gives the trees back.
     */
    @Test
    void resticSeesTheSameViewAfterARemountAndRestoresIt() throws Exception {
        fill(etc);
        fill(home);
        Path file = config(sources());
        Path repo = base.resolve("repo");
        java.util.Map<String, String> env = java.util.Map.of("RESTIC_PASSWORD", "test-only", "RESTIC_REPOSITORY",
                repo.toString());
        restic(env, "init");
        String first;
        String second;
        String third;
        JarProcess p = mountConfig(file);
        try {
            first = restic(env, "backup --json " + mnt);
        } finally {
            stop(p);
        }
        p = mountConfig(file);
        try {
            second = restic(env, "backup --json " + mnt);
            Files.writeString(home.resolve("a/b/deep"), "changed");
            // Changed in the source, behind the view: --cache=auto shows it once the 1 s attribute cache expires.
            Thread.sleep(1500);
            third = restic(env, "backup --json " + mnt);
        } finally {
            stop(p);
        }
        assertEquals("10", summary(first, "files_new"), first); // five files in each source; links are not files
        assertEquals("0", summary(second, "files_new"));
        assertEquals("0", summary(second, "files_changed"), second);
        assertEquals(summary(first, "files_new"), summary(second, "files_unmodified"));
        // No file data again. (Tree blobs may be: restic records each node's device number, and the kernel
        // gives a new FUSE mount the lowest free anonymous one, which other mounts coming and going change.)
        assertEquals("0", summary(second, "data_blobs"), second);
        assertEquals("1", summary(third, "files_changed"), third);
        assertEquals("0", summary(third, "files_new"));
        Path restored = base.resolve("restored");
        restic(env, "restore latest --target " + restored);
        Path back = restored.resolve(mnt.toString().substring(1));
        sh(base, "diff -r --no-dereference " + etc + " " + back.resolve("etc"));
        sh(base, "diff -r --no-dereference " + home + " " + back.resolve("home"));
    }

    /**
     * borg likewise: its files cache (ctime, size, inode) finds every file
     * unchanged after a remount, then exactly the changed one; extract gives
     * the trees back.
     */
    @Test
    void borgSeesTheSameViewAfterARemountAndExtractsIt() throws Exception {
        fill(etc);
        fill(home);
        Path file = config(sources());
        Path repo = base.resolve("borg");
        Path extracted = Files.createDirectory(base.resolve("extracted"));
        // borg never keeps the newest file (by ctime) in its files cache, so that a change in the same
        // instant is not missed: make that one file, and expect borg to read it again each time.
        Thread.sleep(50);
        Files.writeString(home.resolve("zz-newest"), "newest");
        String borg = "BORG_BASE_DIR=" + base.resolve("borg-home") + " BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes borg ";
        sh(base, borg + "init -e none " + repo);
        String second;
        String third;
        JarProcess p = mountConfig(file);
        try {
            sh(mnt, borg + "create " + repo + "::one .");
        } finally {
            stop(p);
        }
        p = mountConfig(file);
        try {
            second = sh(mnt, borg + "create --list --filter=AME " + repo + "::two . 2>&1");
            Files.writeString(etc.resolve("a/b/deep"), "changed");
            Thread.sleep(1500); // past the 1 s attribute cache of --cache=auto
            third = sh(mnt, borg + "create --list --filter=AME " + repo + "::three . 2>&1");
        } finally {
            stop(p);
        }
        assertEquals("A home/zz-newest", second.strip(), "nothing else added or modified after a remount");
        assertEquals(java.util.Set.of("M etc/a/b/deep", "A home/zz-newest"), java.util.Set.copyOf(third.strip().lines()
                .toList()), "exactly the changed file");
        sh(extracted, borg + "extract " + repo + "::three");
        sh(base, "diff -r --no-dereference " + etc + " " + extracted.resolve("etc"));
        sh(base, "diff -r --no-dereference " + home + " " + extracted.resolve("home"));
    }

    private static String restic(java.util.Map<String, String> env, String args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", "restic --no-cache -q " + args))
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "restic " + args + "\n" + out);
        return out;
    }

    /** A field of restic's JSON summary line. */
    private static String summary(String json, String field) {
        String line = json.lines().filter(l -> l.contains("\"message_type\":\"summary\"")).findFirst().orElseThrow(
                () -> new AssertionError("no summary in " + json));
        var m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(line);
        assertTrue(m.find(), field + " in " + line);
        return m.group(1);
    }
}
