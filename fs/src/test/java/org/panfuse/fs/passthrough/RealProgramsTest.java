package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Programs people run on filesystems, each run on the bare tree and through
 * the mount, with the results compared: rsync, tar, git, SQLite with several
 * writers, make.
 */
class RealProgramsTest {

    /** A tree with what backup tools care about: hard links, symlinks, xattrs, a sparse file, odd names. */
    private static void buildTree(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.writeString(dir.resolve("plain.txt"), "plain\n".repeat(1000));
        Files.writeString(dir.resolve("sub/deeper/nested"), "nested");
        Files.createLink(dir.resolve("sub/hardlink"), dir.resolve("plain.txt"));
        Files.createSymbolicLink(dir.resolve("abs-link"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(dir.resolve("sub/rel-link"), Path.of("../plain.txt"));
        Files.writeString(dir.resolve("name with spaces & ünïcødé"), "odd");
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("sparse").toFile(), "rw")) {
            raf.seek(64L << 20);
            raf.write("end".getBytes());
        }
        Shell.sh(dir, "setfattr -n user.origin -v test plain.txt && setfattr -n user.kind -v dir sub");
        Shell.sh(dir, "chmod 0640 plain.txt && chmod 0700 sub/deeper && touch -d '2001-02-03 04:05:06' sub/deeper/nested");
    }

    /**
     * Relative path, type, mode, size, link count and target of every entry, the mtime and digest of every
     * file, and the user xattrs. (Directory and symlink mtimes are left out: rsync and tar do not keep them all.)
     */
    private static String manifest(Path dir) throws Exception {
        return Shell.sh(dir, "find . -printf '%p %y %m %s %n %l\\n' | LC_ALL=C sort"
                + " && find . -type f -printf '%p %T@\\n' | LC_ALL=C sort"
                + " && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum"
                + " && getfattr -R -d -m user. --absolute-names . 2>/dev/null | grep -v '^#' | LC_ALL=C sort");
    }

    @Test
    void rsyncThereAndBack() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Path original = Files.createDirectory(m.base.resolve("original"));
            buildTree(original);
            List<String> results = new ArrayList<>();
            for (Path side : List.of(m.reference, m.mountpoint)) {
                Shell.sh(m.base, "rsync -aHSX " + original + "/ " + side.resolve("copy") + "/");
                assertEquals(manifest(original), manifest(side.resolve("copy")), "rsync onto " + side);
                Path back = m.base.resolve("back-" + side.getFileName());
                Shell.sh(m.base, "rsync -aHSX " + side.resolve("copy") + "/ " + back + "/");
                assertEquals(manifest(original), manifest(back), "rsync back from " + side);
                // A checksum comparison finds nothing left to transfer.
                results.add(Shell.sh(m.base, "rsync -aHSXnci " + original + "/ " + side.resolve("copy") + "/"));
            }
            assertEquals("", results.get(0));
            assertEquals(results.get(0), results.get(1));
            assertTrue(Files.size(m.src("copy/sparse")) > 60L << 20);
        }
    }

    @Test
    void tarCreateAndExtract() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            Path original = Files.createDirectory(m.base.resolve("original"));
            buildTree(original);
            for (Path side : List.of(m.reference, m.mountpoint)) {
                Shell.sh(m.base, "tar --xattrs -C " + original + " -cSf " + side.resolve("t.tar") + " .");
                Files.createDirectory(side.resolve("x"));
                Shell.sh(m.base, "tar --xattrs -C " + side.resolve("x") + " -xSf " + side.resolve("t.tar"));
                assertEquals(manifest(original), manifest(side.resolve("x")), "tar through " + side);
            }
            // The archives themselves differ: their headers carry the access times of the files read.
        }
    }

    @Test
    void gitInitCommitBranchStatusFsck() throws Exception {
        Map<String, String> env = Map.of("GIT_AUTHOR_NAME", "panfuse", "GIT_AUTHOR_EMAIL", "t@panfuse",
                "GIT_COMMITTER_NAME", "panfuse", "GIT_COMMITTER_EMAIL", "t@panfuse",
                "GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z",
                "HOME", "/nonexistent", "GIT_CONFIG_NOSYSTEM", "1");
        String script = "git init -q -b main repo && cd repo"
                + " && printf 'one\\n' > a.txt && mkdir -p src && printf 'int x;\\n' > src/x.c"
                + " && git add -A && git commit -q -m first"
                + " && git checkout -q -b feature && printf 'two\\n' >> a.txt && git rm -q src/x.c"
                + " && git commit -q -am second && git checkout -q main && git merge -q --no-edit feature"
                + " && git gc -q && git status --porcelain && git fsck --strict && git log --format='%H %T %s'";
        try (MountedSource m = MountedSource.mount()) {
            String bare = Shell.sh(m.reference, env, script);
            String mounted = Shell.sh(m.mountpoint, env, script);
            assertEquals(bare, mounted);
            assertTrue(mounted.contains(" second"), mounted);
        }
    }

    @Test
    void sqliteWithSeveralWritersPassesIntegrityCheck() throws Exception {
        int writers = 4;
        int rows = 150;
        String script = "sqlite3 db.sqlite 'CREATE TABLE t(w INTEGER, i INTEGER, payload TEXT);'"
                + " && for w in $(seq " + writers + "); do"
                + "   (for i in $(seq " + rows + "); do"
                + "      echo \".timeout 20000\nINSERT INTO t VALUES($w, $i, hex(randomblob(200)));\";"
                + "    done | sqlite3 db.sqlite) &"
                + " done; wait"
                + " && sqlite3 db.sqlite 'PRAGMA integrity_check; SELECT count(*), count(DISTINCT w) FROM t;'";
        try (MountedSource m = MountedSource.mount()) {
            String bare = Shell.sh(m.reference, script);
            String mounted = Shell.sh(m.mountpoint, script);
            assertEquals("ok\n" + (writers * rows) + "|" + writers + "\n", bare);
            assertEquals(bare, mounted);
        }
    }

    @Test
    void makeBuildsAndRunsACProgram() throws Exception {
        String script = "mkdir -p prog && cd prog"
                + " && printf 'int add(int a, int b);\\n' > add.h"
                + " && printf '#include \"add.h\"\\nint add(int a, int b) { return a + b; }\\n' > add.c"
                + " && printf '#include <stdio.h>\\n#include \"add.h\"\\nint main(void) { printf(\"%%d\\\\n\", add(40, 2)); return 0; }\\n' > main.c"
                + " && printf 'prog: main.o add.o\\n\\tcc -o $@ $^\\n%%.o: %%.c add.h\\n\\tcc -c -o $@ $<\\n' > Makefile"
                + " && make -s && ./prog && make -s && touch add.h && make && ./prog";
        try (MountedSource m = MountedSource.mount()) {
            String bare = Shell.sh(m.reference, script);
            String mounted = Shell.sh(m.mountpoint, script);
            assertEquals(bare, mounted);
            assertTrue(mounted.startsWith("42\n"), mounted);
        }
    }
}
