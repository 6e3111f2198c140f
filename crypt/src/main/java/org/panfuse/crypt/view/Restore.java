package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.bindings.stat;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.crypt.format.MasterKey;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;

/**
 * Restores chosen files and directories of a backup, named by their
 * plaintext paths, into a directory, without mounting anything. Each path is
 * found by encrypting its names one directory at a time (no listing needed);
 * each file is authenticated block by block as it is written.
 *
 * <p>The backup is untrusted storage, and so is the destination when others
 * can write there: names are bytes end to end, the destination is reached
 * only through descriptors ({@link RestoreTarget}), nothing existing is
 * replaced or changed, and a file that fails midway is removed again, never
 * left looking whole. Owners and setuid/setgid bits are the backup storage's
 * metadata, which gocryptfs's format does not authenticate: restored only
 * when asked for ({@code owners}).
 *
 * <p>Failures along the way are collected ({@link #failures()}), not thrown.
 * Not thread-safe: use it on the thread that made it, then close it.
 */
public final class Restore implements AutoCloseable {
    private static final int CHUNK = 1 << 20;

    private final MasterKey key;
    private final ContentCipher content;
    private final BackupTree tree;
    private final DecryptingReader reader;
    private final int rootFd;
    private final byte[] rootIv;
    private final boolean owners;
    private final Arena buffers = Arena.ofConfined();
    private final MemorySegment chunk = buffers.allocate(CHUNK, 4096);
    private final List<String> failures = new ArrayList<>();
    private int files;
    private int directories;
    private int symlinks;

    /**
     * Opens the backup {@code backup} with {@code key} (taken over: wiped at
     * close). {@code owners}: restore owners and setuid/setgid bits (root).
     *
     * @param backup      the backup's directory
     * @param key         the master key; closed with this object
     * @param longNameMax the key file's LongNameMax (255 where it sets none)
     * @param owners      true to restore owners and setuid/setgid bits (needs root)
     * @throws IllegalArgumentException if {@code longNameMax} is outside 62..255
     * @throws ErrnoException           if {@code backup} cannot be opened, or is no backup of an encrypted view
     */
    public Restore(Path backup, MasterKey key, int longNameMax, boolean owners) {
        this.key = key;
        this.owners = owners;
        this.content = key.contentCipher();
        try {
            this.tree = new BackupTree(key.nameCipher(longNameMax), content);
            this.reader = new DecryptingReader(content);
            try (Arena arena = Arena.ofConfined()) {
                this.rootFd = Libc.openat(AT_FDCWD(), arena.allocateFrom(backup.toAbsolutePath().toString()),
                        O_PATH() | O_DIRECTORY() | O_CLOEXEC(), 0);
            }
            try {
                this.rootIv = tree.dirIv(rootFd, "", "");
            } catch (RuntimeException e) {
                Libc.close(rootFd);
                throw e;
            }
        } catch (RuntimeException e) {
            content.close();
            buffers.close();
            throw e;
        }
    }

    /** {@return what went wrong so far, one line each; empty if everything was restored} */
    public List<String> failures() {
        return failures;
    }

    /** {@return what was restored so far: "N files, M directories, K symlinks"} */
    public String summary() {
        return files + (files == 1 ? " file, " : " files, ") + directories
                + (directories == 1 ? " directory, " : " directories, ") + symlinks
                + (symlinks == 1 ? " symlink" : " symlinks");
    }

    /**
     * Restores the backup's {@code plainPath} ("" for all of it; '/'-separated
     * names as bytes) as {@code into}/{@code plainPath}. {@code into} is made
     * if missing. What cannot be restored is added to {@link #failures()}.
     *
     * @param plainPath the path inside the backup, as plaintext bytes; "" for everything
     * @param into      the directory to restore into
     */
    public void restore(byte[] plainPath, Path into) {
        String shownPath = new String(plainPath, StandardCharsets.ISO_8859_1);
        List<byte[]> parts = new ArrayList<>();
        for (String part : shownPath.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                failures.add(BackupTree.display(shownPath) + ": \"..\" is not a path inside the backup");
                return;
            }
            parts.add(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        int destFd;
        try (Arena arena = Arena.ofConfined()) {
            Files.createDirectories(into);
            destFd = Libc.openat(AT_FDCWD(), arena.allocateFrom(into.toAbsolutePath().toString()),
                    O_PATH() | O_DIRECTORY() | O_CLOEXEC(), 0);
        } catch (java.io.IOException | ErrnoException e) {
            failures.add(into + ": cannot be made or opened: " + e.getMessage());
            return;
        }
        int fd = Libc.dup(rootFd);
        byte[] iv = rootIv;
        String cipherPath = "";
        String plain = "";
        try {
            for (int i = 0; i < parts.size(); i++) {
                byte[] name = parts.get(i);
                String disk = tree.diskName(name, iv);
                int next = openPath(fd, disk);
                Libc.close(fd);
                fd = next;
                cipherPath = ViewNode.child(cipherPath, disk);
                plain = ViewNode.child(plain, new String(name, StandardCharsets.ISO_8859_1));
                if (i < parts.size() - 1) {
                    iv = tree.dirIv(fd, cipherPath, plain);
                    // The directories above what was asked for: made as needed, never changed if there.
                    int nextDest = RestoreTarget.directory(destFd, name, new boolean[1]);
                    Libc.close(destFd);
                    destFd = nextDest;
                }
            }
        } catch (ErrnoException | RestoreTarget.RestoreRefused e) {
            Libc.close(fd);
            Libc.close(destFd);
            String why = e instanceof ErrnoException x && x.errno() == ENOENT() ? "not in the backup" : e.getMessage();
            failures.add(BackupTree.display(shownPath) + ": " + why);
            return;
        }
        try {
            if (parts.isEmpty()) {
                restoreContents(fd, "", "", destFd);
            } else {
                restoreObject(fd, cipherPath, plain, destFd, parts.getLast());
            }
        } finally {
            Libc.close(fd);
            Libc.close(destFd);
        }
    }

    /** One object of the backup (open as the O_PATH {@code pathFd}) as {@code name} in {@code destDirFd}. */
    private void restoreObject(int pathFd, String cipherPath, String plainPath, int destDirFd, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(stat.layout());
            Libc.fstatat(pathFd, arena.allocateFrom(""), st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            int type = stat.st_mode(st) & S_IFMT();
            if (type == S_IFDIR()) {
                boolean[] made = new boolean[1];
                int dir = RestoreTarget.directory(destDirFd, name, made);
                try {
                    restoreContents(pathFd, cipherPath, plainPath, dir);
                    // After the contents, which would change its times; an existing directory keeps its own.
                    if (made[0]) {
                        RestoreTarget.finish(dir, st, owners);
                    }
                } catch (RuntimeException e) {
                    if (made[0]) {
                        RestoreTarget.removeEmptyDirectory(destDirFd, name);
                    }
                    throw e;
                } finally {
                    Libc.close(dir);
                }
                directories++;
            } else if (type == S_IFREG()) {
                restoreFile(pathFd, cipherPath, plainPath, destDirFd, name, st);
                files++;
            } else if (type == S_IFLNK()) {
                RestoreTarget.symlink(destDirFd, name, tree.readlink(pathFd, cipherPath, plainPath));
                RestoreTarget.finishSymlink(destDirFd, name, st, owners);
                symlinks++;
            } else {
                failures.add(BackupTree.display(plainPath) + ": not a file, directory or symlink; skipped");
            }
        } catch (RestoreTarget.RestoreRefused e) {
            failures.add(BackupTree.display(plainPath) + ": " + e.getMessage());
        } catch (ErrnoException e) {
            failures.add(BackupTree.display(plainPath) + ": " + (e.errno() == EIO()
                    ? "damaged in the backup (see the log line above); not restored" : e.getMessage()));
        }
    }

    /** The entries of the backup directory {@code pathFd} into {@code destFd}. */
    private void restoreContents(int pathFd, String cipherPath, String plainPath, int destFd) {
        byte[] iv = tree.dirIv(pathFd, cipherPath, plainPath);
        for (BackupTree.Entry e : tree.list(pathFd, iv, cipherPath.isEmpty(), plainPath)) {
            int child;
            String childPlain = ViewNode.child(plainPath, new String(e.plainName(), StandardCharsets.ISO_8859_1));
            try {
                child = openPath(pathFd, e.diskName());
            } catch (ErrnoException gone) {
                failures.add(BackupTree.display(childPlain) + ": " + gone.getMessage());
                continue;
            }
            try {
                restoreObject(child, ViewNode.child(cipherPath, e.diskName()), childPlain, destFd, e.plainName());
            } finally {
                Libc.close(child);
            }
        }
    }

    private void restoreFile(int pathFd, String cipherPath, String plainPath, int destDirFd, byte[] name,
            MemorySegment st) {
        DecryptedFile file = tree.open(pathFd, cipherPath, plainPath);
        int out;
        try {
            out = RestoreTarget.newFile(destDirFd, name);
        } catch (RuntimeException e) {
            Libc.close(file.fd());
            throw e;
        }
        boolean done = false;
        try {
            long offset = 0;
            long n;
            while ((n = reader.read(file, offset, CHUNK, chunk)) > 0) {
                if (!allZero(chunk, n)) {
                    // Runs of zeros are left as holes: a sparse file comes back sparse.
                    long written = 0;
                    while (written < n) {
                        written += Libc.pwrite(out, chunk.asSlice(written), n - written, offset + written);
                    }
                }
                offset += n;
            }
            Libc.ftruncate(out, offset);
            RestoreTarget.finish(out, st, owners);
            done = true;
        } finally {
            Libc.close(file.fd());
            if (!done) {
                RestoreTarget.removeOurs(destDirFd, name, out);
            }
            Libc.close(out);
        }
    }

    private static boolean allZero(MemorySegment s, long n) {
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            if (s.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** openat(dirFd, name, O_PATH | O_NOFOLLOW): the object itself, never what a symlink points to. */
    private static int openPath(int dirFd, String name) {
        try (Arena a = Arena.ofConfined()) {
            return Libc.openat(dirFd, a.allocateFrom(name), O_PATH() | O_NOFOLLOW() | O_CLOEXEC(), 0);
        }
    }

    @Override
    public void close() {
        Libc.close(rootFd);
        content.close();
        key.close();
        buffers.close();
    }
}
