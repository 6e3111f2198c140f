package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.posix.MountTable;

/**
 * The encrypted view against its oracle, stock gocryptfs 2.3: for the same
 * plaintext and master key, panfuse's reverse view is gocryptfs -reverse's
 * byte for byte; a backup of it restores with stock gocryptfs, with
 * panfuse's decrypting view and without mounting; damage in a backup is an
 * I/O error, never plaintext; bad input is one line and a nonzero exit.
 */
class EncryptedViewIT {
    private static final Pattern MASTER_KEY = Pattern.compile("([0-9a-f]{8}-){7}[0-9a-f]{8}");
    /**
     * What find shows of a tree: name, type, mode, mtime, and sizes of all
     * but directories (whose sizes are their filesystem's business; inode
     * numbers are each view's own).
     */
    private static final String DESCRIBE = "cd %s && { find . -mindepth 1 ! -type d -printf '%%p %%y %%m %%T@ %%s\\n';"
            + " find . -mindepth 1 -type d -printf '%%p %%y %%m %%T@\\n'; } | LC_ALL=C sort";

    private Path base;
    private Path plain;
    private Path pw;
    private final List<Path> mounts = new ArrayList<>();
    private final List<JarProcess> servers = new ArrayList<>();

    @BeforeEach
    void dirs() throws Exception {
        base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-crypt-");
        plain = Files.createDirectory(base.resolve("plain"));
        pw = Files.writeString(base.resolve("pw"), "correct horse\n");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Path m : mounts) {
            if (MountTable.isMountPoint(m)) {
                new ProcessBuilder("umount", "-l", m.toString()).inheritIO().start().waitFor();
            }
        }
        for (JarProcess p : servers) {
            p.close();
        }
        try (var walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The tree the oracle is asked about: every size edge, sparse, long and UTF-8 names, depth, symlinks. */
    private static void fill(Path dir) throws Exception {
        String long255 = "L".repeat(255);
        String utf8Long = "é".repeat(100) + "ß".repeat(20);
        Sh.ok(dir, "touch empty && head -c 1 /dev/urandom > one && head -c 4095 /dev/urandom > b4095"
                + " && head -c 4096 /dev/urandom > b4096 && head -c 4097 /dev/urandom > b4097"
                + " && head -c 3000000 /dev/urandom > big && truncate -s 5M sparse && echo tail >> sparse"
                + " && mkdir -p 'd é/ünï' && echo x > 'd é/ünï/cödé' && echo y > " + long255
                + " && mkdir " + utf8Long + " && echo z > " + utf8Long + "/" + long255
                + " && mkdir -p deep/1/2/3/4/5/6/7/8/9/10/11/12 && echo deep > deep/1/2/3/4/5/6/7/8/9/10/11/12/f"
                + " && ln -s one rel && ln -s /etc/passwd abs && ln -s " + "t".repeat(300) + " longtarget"
                + " && ln -s " + long255 + " 'd é/to-long' && chmod 640 b4097 && chmod 750 deep");
    }

    private JarProcess panfuse(Path mountpoint, String... args) throws Exception {
        Files.createDirectories(mountpoint);
        mounts.add(mountpoint);
        JarProcess p = JarProcess.start(args);
        servers.add(p);
        p.awaitMounted(mountpoint, Duration.ofSeconds(30));
        return p;
    }

    private static void stop(JarProcess p) throws Exception {
        p.signal("TERM");
        assertTrue(p.process.waitFor(30, TimeUnit.SECONDS), p.output());
        assertEquals(0, p.process.exitValue(), p.output());
    }

    private void gocryptfs(Path mountpoint, String args) throws Exception {
        Files.createDirectories(mountpoint);
        mounts.add(mountpoint);
        Sh.ok(base, "gocryptfs -q " + args + " " + mountpoint);
    }

    private void unmount(Path mountpoint) throws Exception {
        Sh.ok(base, "fusermount3 -u " + mountpoint);
    }

    /** gocryptfs -init -reverse: the key file in SOURCE. */
    private void gocryptfsInit(Path source) throws Exception {
        Sh.ok(base, "gocryptfs -init -reverse -scryptn 10 -passfile " + pw + " " + source);
    }

    /** panfuse init: the key file, and the master key it printed. */
    private String panfuseInit(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("init", "--scryptn", "10", "--passfile", pw.toString()));
        all.addAll(List.of(args));
        JarProcess.Result r = JarProcess.run(all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        Matcher m = MASTER_KEY.matcher(r.output());
        return m.find() ? m.group() : null;
    }

    @Test
    void theViewIsByteForByteGocryptfsReverse() throws Exception {
        fill(plain);
        gocryptfsInit(plain);
        Path g = base.resolve("g");
        Path p = base.resolve("p");
        gocryptfs(g, "-reverse -passfile " + pw + " " + plain);
        JarProcess server = panfuse(p, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(), p.toString());
        Sh.ok(base, "diff -r --no-dereference " + g + " " + p);
        assertEquals(Sh.ok(base, DESCRIBE.formatted(g)), Sh.ok(base, DESCRIBE.formatted(p)));
        String some = Sh.ok(p, "find . -maxdepth 1 -type f ! -name 'gocryptfs*' | LC_ALL=C sort | head -1").strip();
        for (String change : List.of("touch new", "mkdir new", "rm -f " + some, "chmod 600 " + some,
                "mv " + some + " moved", "ln -s x new", "echo x >> " + some, "setfattr -n user.x -v 1 " + some)) {
            Sh.Result r = Sh.run(p, change);
            assertNotEquals(0, r.exit(), change);
            assertTrue(r.output().contains("Read-only file system"), change + ": " + r.output());
        }
        String listing = Sh.ok(base, "ls -a " + p);
        assertTrue(listing.contains("gocryptfs.conf") && listing.contains("gocryptfs.diriv"), listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("gocryptfs.longname.") && l.endsWith(".name")), listing);
        unmount(g);
        stop(server);
    }

    @Test
    void severalSourcesAreGocryptfsReverseOfADirectoryHoldingThem() throws Exception {
        Path holder = Files.createDirectory(base.resolve("holder"));
        Path etc = Files.createDirectory(holder.resolve("etc"));
        Path home = Files.createDirectory(holder.resolve("home"));
        fill(etc);
        Sh.ok(home, "mkdir -p u/v && echo hi > u/v/w && head -c 10000 /dev/urandom > u/r");
        gocryptfsInit(holder);
        Path config = Files.writeString(base.resolve("view.toml"), "encrypt = true\nkey_file = \""
                + holder.resolve(".gocryptfs.reverse.conf") + "\"\n\n[[source]]\nname = \"etc\"\npath = \"" + etc
                + "\"\n\n[[source]]\nname = \"home\"\npath = \"" + home + "\"\n");
        Path g = base.resolve("g");
        Path p = base.resolve("p");
        gocryptfs(g, "-reverse -passfile " + pw + " " + holder);
        JarProcess server = panfuse(p, "mount", "--config", config.toString(), "--passfile", pw.toString(), p.toString());
        Sh.ok(base, "diff -r --no-dereference " + g + " " + p);
        // The one allowed difference: the root's gocryptfs.diriv takes its times from the root, which is the
        // holding directory for gocryptfs and the virtual root (dated by the config file) for panfuse.
        String rootDiriv = " | grep -v '^./gocryptfs.diriv '";
        assertEquals(Sh.ok(base, DESCRIBE.formatted(g) + rootDiriv), Sh.ok(base, DESCRIBE.formatted(p) + rootDiriv));
        unmount(g);
        // The several directories backed up with rsync, one file and then all restored without mounting.
        Path backup = base.resolve("backup");
        Sh.ok(base, "rsync -a " + p + "/ " + backup + "/");
        stop(server);
        Path one = base.resolve("one");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "home/u/v/w",
                "--to", one.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("hi\n", Files.readString(one.resolve("home/u/v/w")));
        Path all = base.resolve("all");
        r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "--to", all.toString());
        assertEquals(0, r.exit(), r.output());
        Sh.ok(base, "diff -r --no-dereference " + etc + " " + all.resolve("etc") + " && diff -r --no-dereference "
                + home + " " + all.resolve("home"));
    }

    @Test
    void aBackupRestoresWithGocryptfsWithTheDecryptingViewAndWithoutMounting() throws Exception {
        fill(plain);
        String masterKey = panfuseInit(plain.toString());
        assertTrue(masterKey != null, "init prints the master key");
        assertEquals("600", Sh.ok(base, "stat -c %a " + plain.resolve(".gocryptfs.reverse.conf")).strip());
        Path view = base.resolve("view");
        Path backup = base.resolve("backup");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                view.toString());
        Sh.ok(base, "rsync -a " + view + "/ " + backup + "/");
        assertTrue(Sh.ok(base, "rsync -a --stats " + view + "/ " + backup + "/")
                .contains("Number of regular files transferred: 0"), "a second rsync copies nothing");
        Files.writeString(plain.resolve("d é/ünï/cödé"), "changed");
        awaitSize(view, plain.resolve("d é/ünï/cödé"));
        String third = Sh.ok(base, "rsync -a --stats " + view + "/ " + backup + "/");
        assertTrue(third.contains("Number of regular files transferred: 1"), third);
        stop(server);

        // Stock gocryptfs, forward mode, on the backup.
        Path g = base.resolve("g");
        gocryptfs(g, "-ro -passfile " + pw + " " + backup);
        Sh.ok(base, "diff -r --no-dereference -x .gocryptfs.reverse.conf " + plain + " " + g);
        unmount(g);

        // panfuse's decrypting view, with the password and with the paper key.
        Path d = base.resolve("d");
        JarProcess decrypting = panfuse(d, "mount", "--decrypt", "--passfile", pw.toString(), backup.toString(),
                d.toString());
        Sh.ok(base, "diff -r --no-dereference -x .gocryptfs.reverse.conf " + plain + " " + d);
        assertEquals(Sh.ok(base, DESCRIBE.formatted(plain) + " | grep -v gocryptfs.reverse.conf"),
                Sh.ok(base, DESCRIBE.formatted(d)));
        stop(decrypting);

        // Without mounting: everything, then one file by its plaintext path, with the paper key.
        Path all = base.resolve("all");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "--to",
                all.toString());
        assertEquals(0, r.exit(), r.output());
        Sh.ok(base, "diff -r --no-dereference -x .gocryptfs.reverse.conf " + plain + " " + all);
        Path one = base.resolve("one");
        r = JarProcess.run("restore", "--masterkey", masterKey, backup.toString(), "d é/ünï/cödé", "--to",
                one.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("changed", Files.readString(one.resolve("d é/ünï/cödé")));
        assertEquals(List.of("d é"), Sh.ok(one, "ls").lines().toList(), "only what was asked for");
    }

    @Test
    void theViewIsTheSameAtEveryMountAndForEveryKeyFileOfTheSameMasterKey() throws Exception {
        fill(plain);
        String masterKey = panfuseInit(plain.toString());
        Path other = base.resolve("other.conf");
        Path otherPw = Files.writeString(base.resolve("pw2"), "another password\n");
        JarProcess.Result r = JarProcess.run("init", "--scryptn", "10", "--passfile", otherPw.toString(),
                "--masterkey", masterKey, "--key-file", other.toString());
        assertEquals(0, r.exit(), r.output());
        assertNotEquals(Files.readString(other), Files.readString(plain.resolve(".gocryptfs.reverse.conf")));
        Path a = base.resolve("a");
        Path b = base.resolve("b");
        JarProcess first = panfuse(a, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(), a.toString());
        JarProcess second = panfuse(b, "mount", "--encrypt", "--passfile", otherPw.toString(), "--key-file",
                other.toString(), plain.toString(), b.toString());
        // Everything but the key files themselves (and the one that shows encrypted in b: it is a plain file there).
        Sh.ok(base, "diff -r --no-dereference -x gocryptfs.conf -x '" + encryptedNameOf(a, b) + "' " + a + " " + b);
        stop(second);
        stop(first);
        JarProcess again = panfuse(b, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(), b.toString());
        Path copy = base.resolve("copy");
        Sh.ok(base, "cp -a " + b + " " + copy);
        stop(again);
        first = panfuse(a, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(), a.toString());
        Sh.ok(base, "diff -r --no-dereference " + copy + " " + a);
        stop(first);
    }

    /**
     * Waits until the view shows {@code changed}'s new size (a plaintext of
     * that size has this ciphertext size somewhere in the view), for at most
     * 10 s: the kernel keeps attributes for 1 s.
     */
    private static void awaitSize(Path view, Path changed) throws Exception {
        long cipherSize = 18 + Files.size(changed) + 32 * ((Files.size(changed) + 4095) / 4096);
        for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            if (!Sh.ok(view, "find . -type f -size " + cipherSize + "c").isBlank()) {
                return;
            }
        }
        throw new AssertionError("the view never showed the change to " + changed);
    }

    /** The name under which b (a key file outside the source) shows the source's own .gocryptfs.reverse.conf. */
    private static String encryptedNameOf(Path a, Path b) throws Exception {
        List<String> inA = Sh.ok(a, "ls -A").lines().toList();
        return Sh.ok(b, "ls -A").lines().filter(n -> !inA.contains(n)).findFirst().orElse("none");
    }

    @Test
    void damageInABackupIsAnIoErrorNeverPlaintext() throws Exception {
        Sh.ok(plain, "head -c 20000 /dev/urandom > flip && head -c 20000 /dev/urandom > cut"
                + " && head -c 20000 /dev/urandom > swap && head -c 9000 /dev/urandom > x && head -c 9000 /dev/urandom > y"
                + " && echo fine > fine");
        panfuseInit(plain.toString());
        Path view = base.resolve("view");
        Path backup = base.resolve("backup");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                view.toString());
        Sh.ok(base, "rsync -a " + view + "/ " + backup + "/");
        stop(server);
        // Find each file's ciphertext through the decrypting view's own mapping: decrypt with restore first.
        Path d = base.resolve("d");
        JarProcess decrypting = panfuse(d, "mount", "--decrypt", "--passfile", pw.toString(), backup.toString(),
                d.toString());
        Sh.ok(base, "diff -r -x .gocryptfs.reverse.conf " + plain + " " + d);
        stop(decrypting);
        // The three 20000-byte files cannot be told apart in ciphertext: damage each differently, expect all to fail.
        List<String> same = Sh.ok(backup, "find . -maxdepth 1 -size " + (20018 + 5 * 32) + "c -printf '%p\\n'")
                .lines().sorted().toList();
        assertEquals(3, same.size(), same.toString());
        Sh.ok(backup, "printf '\\001' | dd of=" + same.get(0) + " bs=1 seek=10000 conv=notrunc status=none"
                + " && printf '\\377' | dd of=" + same.get(0) + " bs=1 seek=10001 conv=notrunc status=none");
        Sh.ok(backup, "truncate -s 15000 " + same.get(1));
        // Swap blocks 0 and 1 of the third.
        Sh.ok(backup, "dd if=" + same.get(2) + " of=b0 bs=1 skip=18 count=4128 status=none"
                + " && dd if=" + same.get(2) + " of=b1 bs=1 skip=4146 count=4128 status=none"
                + " && dd if=b1 of=" + same.get(2) + " bs=1 seek=18 conv=notrunc status=none"
                + " && dd if=b0 of=" + same.get(2) + " bs=1 seek=4146 conv=notrunc status=none && rm b0 b1");
        // Swap the two 9000-byte files whole.
        List<String> pair = Sh.ok(backup, "find . -maxdepth 1 -size " + (9018 + 3 * 32) + "c -printf '%p\\n'")
                .lines().toList();
        assertEquals(2, pair.size(), pair.toString());
        Sh.ok(backup, "mv " + pair.get(0) + " tmp && mv " + pair.get(1) + " " + pair.get(0) + " && mv tmp "
                + pair.get(1));

        d = base.resolve("d2");
        decrypting = panfuse(d, "mount", "--decrypt", "--passfile", pw.toString(), backup.toString(), d.toString());
        for (String name : List.of("flip", "cut", "swap", "x", "y")) {
            Sh.Result r = Sh.run(d, "cat " + name + " > /dev/null");
            assertNotEquals(0, r.exit(), name + " must not read");
            assertTrue(r.output().contains("Input/output error"), name + ": " + r.output());
        }
        assertEquals("fine\n", Files.readString(d.resolve("fine")));
        stop(decrypting);
        String log = decrypting.output();
        assertTrue(log.contains(": block ") && log.contains("failed authentication"), log);
        assertTrue(log.contains("moved or swapped"), log);

        Path out = base.resolve("out");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "--to",
                out.toString());
        assertEquals(1, r.exit(), r.output());
        for (String name : List.of("flip", "cut", "swap", "x", "y")) {
            assertTrue(r.output().contains("/" + name + ": damaged"), name + ": " + r.output());
            assertFalse(Files.exists(out.resolve(name)), name + " is not left behind");
        }
        assertEquals("fine\n", Files.readString(out.resolve("fine")));
    }

    @Test
    void hardLinksAreOneFileEachStableAndRestorable() throws Exception {
        Sh.ok(plain, "head -c 10000 /dev/urandom > a && ln a b && mkdir d && ln a d/c");
        panfuseInit(plain.toString());
        Path view = base.resolve("view");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                view.toString());
        String sums = Sh.ok(view, "find . -type f ! -name 'gocryptfs.*' | LC_ALL=C sort | xargs md5sum");
        String links = Sh.ok(view, "find . -type f ! -name 'gocryptfs.*' -printf '%n %i\\n' | sort -u");
        assertEquals(3, sums.lines().map(l -> l.split(" ")[0]).distinct().count(), "three paths, three ciphertexts");
        assertEquals(3, links.lines().count(), "three inodes, one link each: " + links);
        assertTrue(links.lines().allMatch(l -> l.startsWith("1 ")), links);
        Path backup = base.resolve("backup");
        Sh.ok(base, "rsync -aH " + view + "/ " + backup + "/");
        stop(server);
        server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(), view.toString());
        // Read in another order this time: the bytes do not depend on it.
        assertEquals(sums, Sh.ok(view, "find . -type f ! -name 'gocryptfs.*' | LC_ALL=C sort -r | xargs md5sum"
                + " | LC_ALL=C sort -k2"));
        stop(server);
        Path out = base.resolve("out");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "--to",
                out.toString());
        assertEquals(0, r.exit(), r.output());
        assertArrayEquals(Files.readAllBytes(plain.resolve("a")), Files.readAllBytes(out.resolve("d/c")));
        assertArrayEquals(Files.readAllBytes(plain.resolve("a")), Files.readAllBytes(out.resolve("b")));
    }

    @Test
    void resticBacksUpTheViewAndItsRestoreDecrypts() throws Exception {
        fill(plain);
        panfuseInit(plain.toString());
        Path view = base.resolve("view");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                view.toString());
        String restic = "RESTIC_PASSWORD=test-only RESTIC_REPOSITORY=" + base.resolve("repo") + " restic --no-cache -q ";
        Sh.ok(base, restic + "init && " + restic + "backup " + view);
        stop(server);
        Path restored = base.resolve("restored");
        Sh.ok(base, restic + "restore latest --target " + restored);
        Path out = base.resolve("out");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(),
                restored.resolve(view.toString().substring(1)).toString(), "--to", out.toString());
        assertEquals(0, r.exit(), r.output());
        Sh.ok(base, "diff -r --no-dereference -x .gocryptfs.reverse.conf " + plain + " " + out);
    }

    @Test
    void badInputIsOneLineAndANonzeroExit() throws Exception {
        Sh.ok(plain, "echo data > f");
        Path mnt = Files.createDirectory(base.resolve("mnt"));
        mounts.add(mnt);
        // No key file yet.
        assertOneLine(1, "no key file", "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                mnt.toString());
        panfuseInit(plain.toString());
        // init refuses to overwrite: it may be the only way into existing backups.
        assertOneLine(1, "not overwritten", "init", "--passfile", pw.toString(), plain.toString());
        Path wrong = Files.writeString(base.resolve("wrong"), "not it\n");
        assertOneLine(1, "wrong password", "mount", "--encrypt", "--passfile", wrong.toString(), plain.toString(),
                mnt.toString());
        Path conf = plain.resolve(".gocryptfs.reverse.conf");
        String good = Files.readString(conf);
        Files.writeString(conf, good.replace("\"AESSIV\"", "\"AESSIV\",\n\t\t\"NoSuchFlag\""));
        assertOneLine(1, "NoSuchFlag", "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                mnt.toString());
        Files.writeString(conf, good.replaceFirst("\"N\": \\d+", "\"N\": 512"));
        assertOneLine(1, "scrypt", "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(), mnt.toString());
        Files.writeString(conf, "{ not json");
        assertOneLine(1, ".gocryptfs.reverse.conf", "mount", "--encrypt", "--passfile", pw.toString(),
                plain.toString(), mnt.toString());
        Files.writeString(conf, good);
        // A BACKUP that is not a gocryptfs tree.
        Path notBackup = Files.createDirectory(base.resolve("not-a-backup"));
        Files.copy(conf, notBackup.resolve("gocryptfs.conf"));
        assertOneLine(1, "not a backup", "mount", "--decrypt", "--passfile", pw.toString(), notBackup.toString(),
                mnt.toString());
        assertOneLine(1, "not a backup", "restore", "--passfile", pw.toString(), notBackup.toString(), "--to",
                base.resolve("out").toString());
        assertOneLine(2, "--allow-other", "mount", "--encrypt", "--allow-other", "--passfile", pw.toString(),
                plain.toString(), mnt.toString());
        assertOneLine(2, "--masterkey", "mount", "--encrypt", "--masterkey", "12", plain.toString(), mnt.toString());
    }

    private void assertOneLine(int exit, String fragment, String... args) throws Exception {
        JarProcess.Result r = JarProcess.run(args);
        String out = r.output().strip();
        assertEquals(exit, r.exit(), out);
        List<String> lines = out.lines().filter(l -> !l.contains("warning: a master key on the command line")).toList();
        assertEquals(1, lines.size(), "one line: " + out);
        assertTrue(lines.get(0).startsWith("panfuse: ") && lines.get(0).contains(fragment), fragment + " in: " + out);
    }

    @Test
    void aSourceThatVanishesWhileMountedIsAnErrorNotAHang() throws Exception {
        Path source = Files.createDirectories(plain.resolve("src"));
        Sh.ok(source, "mkdir sub && echo a > sub/f");
        panfuseInit(source.toString());
        Path view = base.resolve("view");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), source.toString(),
                view.toString());
        String sub = Sh.ok(view, "ls").lines().filter(n -> !n.startsWith("gocryptfs.")).findFirst().orElseThrow();
        Sh.ok(base, "rm -rf " + source);
        Sh.Result r = Sh.run(view, "ls ./" + sub);
        for (long deadline = System.nanoTime() + 10_000_000_000L; r.exit() == 0 && System.nanoTime() < deadline; ) {
            Thread.sleep(100); // until the kernel's 1 s cache of the listing's entry runs out
            r = Sh.run(view, "ls ./" + sub);
        }
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(server.process.isAlive(), "still serving");
        stop(server);
    }


    @Test
    void restoreTouchesNothingThatExistsAndFollowsNoSymlinkAtTheDestination() throws Exception {
        Sh.ok(plain, "echo secret > f && mkdir sub && echo s > sub/secret && chmod 4755 f"
                + " && printf x > \"$(printf 'bad\\377')\" && printf y > \"$(printf 'bad\\376')\""
                + " && ln -s dir/ slash && ln -s 'a//b' doubled && chown 1000:1000 sub/secret");
        panfuseInit(plain.toString());
        Path view = base.resolve("view");
        Path backup = base.resolve("backup");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                view.toString());
        Sh.ok(base, "rsync -a " + view + "/ " + backup + "/");
        stop(server);

        // An existing file is kept (and said so); an existing directory keeps its mode and owner.
        Path out = Files.createDirectory(base.resolve("out"));
        Files.writeString(out.resolve("f"), "PRECIOUS");
        Sh.ok(out, "mkdir sub && chmod 1777 sub && chown 1000:1000 sub");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "--to",
                out.toString());
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("/f: exists; not overwritten"), r.output());
        assertEquals("PRECIOUS", Files.readString(out.resolve("f")));
        assertEquals("1777 1000", Sh.ok(out, "stat -c '%a %u' sub").strip());
        assertEquals("s\n", Files.readString(out.resolve("sub/secret")));

        // A symlink at the destination is never followed.
        Path victim = Files.createDirectory(base.resolve("victim"));
        Path trap = Files.createDirectory(base.resolve("trap"));
        Files.createSymbolicLink(trap.resolve("sub"), victim);
        r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "sub/secret", "--to",
                trap.toString());
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("not a directory (a symlink is never followed)"), r.output());
        assertEquals(List.of(), Sh.ok(victim, "ls -A").lines().toList());

        // Under LANG=C, with a relative --to: names are bytes, targets verbatim, setuid only with --same-owner.
        r = JarProcess.run(List.of("env", "LANG=C", "LC_ALL=C"), JarProcess.JAVA, "restore", "--passfile",
                pw.toString(), backup.toString(), "--to", "relative-out");
        assertEquals(0, r.exit(), r.output());
        Path rel = Path.of("relative-out").toAbsolutePath();
        try {
            Sh.ok(base, "diff -r --no-dereference -x .gocryptfs.reverse.conf " + plain + " " + rel);
            assertEquals("dir/", Sh.ok(rel, "readlink slash").strip());
            assertEquals("a//b", Sh.ok(rel, "readlink doubled").strip());
            assertEquals("755 0", Sh.ok(rel, "stat -c '%a %u' f").strip(), "setuid and owner not taken from storage");
            assertEquals("644 0", Sh.ok(rel, "stat -c '%a %u' sub/secret").strip());
        } finally {
            Sh.ok(base, "rm -rf " + rel);
        }
        Path owned = base.resolve("owned");
        r = JarProcess.run("restore", "--same-owner", "--passfile", pw.toString(), backup.toString(), "--to",
                owned.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("4755 0", Sh.ok(owned, "stat -c '%a %u' f").strip());
        assertEquals("644 1000", Sh.ok(owned, "stat -c '%a %u' sub/secret").strip());
    }

    @Test
    void aDirectoryOrSymlinkMovedInTheBackupIsRefused() throws Exception {
        Sh.ok(plain, "mkdir a b && echo a > a/x && echo b > b/x && ln -s one l1 && ln -s two l2");
        panfuseInit(plain.toString());
        Path view = base.resolve("view");
        Path backup = base.resolve("backup");
        JarProcess server = panfuse(view, "mount", "--encrypt", "--passfile", pw.toString(), plain.toString(),
                view.toString());
        Sh.ok(base, "rsync -a " + view + "/ " + backup + "/");
        stop(server);
        List<String> dirs = Sh.ok(backup, "find . -mindepth 1 -maxdepth 1 -type d -printf '%p\\n'").lines().toList();
        List<String> links = Sh.ok(backup, "find . -maxdepth 1 -type l -printf '%p\\n'").lines().toList();
        assertEquals(2, dirs.size());
        assertEquals(2, links.size());
        // Swap the two directories whole, and the two symlinks' targets.
        Sh.ok(backup, "mv " + dirs.get(0) + " t && mv " + dirs.get(1) + " " + dirs.get(0) + " && mv t " + dirs.get(1)
                + " && t0=$(readlink " + links.get(0) + ") && t1=$(readlink " + links.get(1) + ")"
                + " && ln -sfn \"$t1\" " + links.get(0) + " && ln -sfn \"$t0\" " + links.get(1));
        Path out = base.resolve("out");
        JarProcess.Result r = JarProcess.run("restore", "--passfile", pw.toString(), backup.toString(), "--to",
                out.toString());
        assertEquals(1, r.exit(), r.output());
        for (String name : List.of("a", "b", "l1", "l2")) {
            assertTrue(r.output().contains("/" + name + ": damaged"), name + ": " + r.output());
        }
        assertTrue(r.output().contains("moved in the backup"), r.output());
    }

    static {
        // Tests here run the jar: fail loudly if gocryptfs is missing rather than skip.
        try {
            if (new ProcessBuilder("gocryptfs", "-version").start().waitFor() != 0) {
                throw new IllegalStateException("gocryptfs does not run: bin/setup.sh installs it");
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("gocryptfs is missing: bin/setup.sh installs it", e);
        }
    }
}
