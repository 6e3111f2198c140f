package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.timespec;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.crypt.format.MasterKey;
import org.panfuse.crypt.format.NameCipher;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;

/**
 * Restores chosen files and directories of a backup, named by their
 * plaintext paths, into a directory, without mounting anything: each path is
 * found by encrypting its names one directory at a time (no listing needed),
 * each file is authenticated block by block while it is written. A file
 * that fails is removed again (never a partial or damaged plaintext left
 * looking whole) and reported; the others go on. Nothing existing is
 * overwritten. Modes and times are restored, and owners when run as root.
 */
public final class Restore implements AutoCloseable {
    private static final int CHUNK = 1 << 20;

    private final Arena arena = Arena.ofConfined();
    private final MasterKey key;
    private final ContentCipher content;
    private final BackupTree tree;
    private final DecryptingReader reader;
    private final int rootFd;
    private final byte[] rootIv;
    private final boolean asRoot = geteuid() == 0;
    private final List<String> failures = new ArrayList<>();
    private int files;
    private int directories;
    private int symlinks;

    /** Opens the backup {@code backup} with {@code key} (taken over: wiped at close). */
    public Restore(Path backup, MasterKey key, int longNameMax) {
        this.key = key;
        this.content = key.contentCipher();
        this.tree = new BackupTree(key.nameCipher(longNameMax));
        this.reader = new DecryptingReader(content);
        this.rootFd = Libc.openat(AT_FDCWD(), arena.allocateFrom(backup.toString()),
                O_PATH() | O_DIRECTORY() | O_CLOEXEC(), 0);
        this.rootIv = tree.dirIv(rootFd, "");
    }

    /** What went wrong, one line each; empty if everything was restored. */
    public List<String> failures() {
        return failures;
    }

    /** "N files, M directories, K symlinks". */
    public String summary() {
        return files + (files == 1 ? " file, " : " files, ") + directories
                + (directories == 1 ? " directory, " : " directories, ") + symlinks
                + (symlinks == 1 ? " symlink" : " symlinks");
    }

    /**
     * Restores the backup's {@code plainPath} (relative to the backup's root,
     * "" or "." for all of it) as {@code into}/{@code plainPath}.
     */
    public void restore(String plainPath, Path into) {
        List<String> parts = new ArrayList<>();
        for (String part : plainPath.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                failures.add(plainPath + ": \"..\" is not a path inside the backup");
                return;
            }
            parts.add(part);
        }
        int fd = Libc.dup(rootFd);
        byte[] iv = rootIv;
        String cipherPath = "";
        String shown = "";
        try {
            for (String part : parts) {
                byte[] name = part.getBytes(StandardCharsets.UTF_8);
                String disk = tree.diskName(name, iv);
                int next = openPath(fd, disk);
                Libc.close(fd);
                fd = next;
                cipherPath = ViewNode.child(cipherPath, disk);
                shown = ViewNode.child(shown, new String(name, StandardCharsets.ISO_8859_1));
                if (part != parts.getLast()) {
                    iv = tree.dirIv(fd, shown);
                }
            }
        } catch (ErrnoException e) {
            Libc.close(fd);
            failures.add(plainPath + ": " + (e.errno() == ENOENT() ? "not in the backup" : e.getMessage()));
            return;
        }
        try {
            restoreObject(fd, cipherPath, shown, into.resolve(String.join("/", parts)));
        } finally {
            Libc.close(fd);
        }
    }

    private void restoreObject(int pathFd, String cipherPath, String plainPath, Path dest) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stat.layout());
            Libc.fstatat(pathFd, a.allocateFrom(""), st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
            int type = stat.st_mode(st) & S_IFMT();
            if (type == S_IFDIR()) {
                restoreDirectory(pathFd, cipherPath, plainPath, dest, st);
            } else if (type == S_IFREG()) {
                restoreFile(pathFd, cipherPath, plainPath, dest, st);
            } else if (type == S_IFLNK()) {
                byte[] target = tree.readlink(pathFd, content, plainPath);
                Files.createSymbolicLink(dest, Path.of(new String(target, StandardCharsets.UTF_8)));
                owner(dest, st);
                symlinks++;
            } else {
                failures.add(BackupTree.display(plainPath) + ": not a file, directory or symlink; skipped");
            }
        } catch (FileAlreadyExistsException e) {
            failures.add(dest + ": exists; not overwritten");
        } catch (IOException | ErrnoException e) {
            failures.add(BackupTree.display(plainPath) + ": " + e.getMessage());
        }
    }

    private void restoreDirectory(int pathFd, String cipherPath, String plainPath, Path dest, MemorySegment st)
            throws IOException {
        if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dest.getParent());
            Files.createDirectory(dest);
        }
        directories++;
        byte[] iv = tree.dirIv(pathFd, plainPath);
        long mode = stat.st_mode(st) & 07777;
        long[] times = times(st);
        for (BackupTree.Entry e : tree.list(pathFd, iv, cipherPath.isEmpty(), plainPath)) {
            int child;
            try {
                child = openPath(pathFd, e.diskName());
            } catch (ErrnoException gone) {
                failures.add(BackupTree.display(plainPath) + ": " + gone.getMessage());
                continue;
            }
            try {
                String name = new String(e.plainName(), StandardCharsets.ISO_8859_1);
                restoreObject(child, ViewNode.child(cipherPath, e.diskName()), ViewNode.child(plainPath, name),
                        dest.resolve(new String(e.plainName(), StandardCharsets.UTF_8)));
            } finally {
                Libc.close(child);
            }
        }
        // After the contents: writing into the directory would change its times again.
        chmod(dest, (int) mode);
        owner(dest, st);
        setTimes(dest, times);
    }

    private void restoreFile(int pathFd, String cipherPath, String plainPath, Path dest, MemorySegment st)
            throws IOException {
        if (dest.getParent() != null) {
            Files.createDirectories(dest.getParent());
        }
        DecryptedFile file;
        try {
            file = tree.open(pathFd, cipherPath, plainPath);
        } catch (ErrnoException e) {
            throw new IOException(e.errno() == EIO() ? "damaged in the backup (see the log line above); not restored"
                    : e.getMessage());
        }
        boolean done = false;
        try (FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Arena buffers = Arena.ofConfined()) {
            MemorySegment buf = buffers.allocate(CHUNK, 4096);
            long offset = 0;
            long n;
            while ((n = reader.read(file, offset, CHUNK, buf)) > 0) {
                var bb = buf.asByteBuffer().limit((int) n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                offset += n;
            }
            done = true;
        } catch (ErrnoException e) {
            throw new IOException(e.errno() == EIO() ? "damaged in the backup (see the log line above); not restored"
                    : e.getMessage());
        } finally {
            Libc.close(file.fd());
            if (!done) {
                Files.deleteIfExists(dest);
            }
        }
        chmod(dest, stat.st_mode(st) & 07777);
        owner(dest, st);
        setTimes(dest, times(st));
        files++;
    }

    private void owner(Path dest, MemorySegment st) {
        if (asRoot) {
            try (Arena a = Arena.ofConfined()) {
                Libc.fchownat(AT_FDCWD(), a.allocateFrom(dest.toString()), stat.st_uid(st), stat.st_gid(st),
                        AT_SYMLINK_NOFOLLOW());
            }
        }
    }

    private static long[] times(MemorySegment st) {
        return new long[] {timespec.tv_sec(stat.st_atim(st)), timespec.tv_nsec(stat.st_atim(st)),
                timespec.tv_sec(stat.st_mtim(st)), timespec.tv_nsec(stat.st_mtim(st))};
    }

    private static void setTimes(Path dest, long[] t) {
        try (Arena a = Arena.ofConfined()) {
        MemorySegment times = a.allocate(timespec.layout(), 2);
        timespec.tv_sec(times, t[0]);
        timespec.tv_nsec(times, t[1]);
        timespec.tv_sec(times.asSlice(timespec.sizeof()), t[2]);
        timespec.tv_nsec(times.asSlice(timespec.sizeof()), t[3]);
        Libc.utimensat(AT_FDCWD(), a.allocateFrom(dest.toString()), times, AT_SYMLINK_NOFOLLOW());
        }
    }

    @Override
    public void close() {
        Libc.close(rootFd);
        content.close();
        key.close();
        arena.close();
    }

    /** openat(dirFd, name, O_PATH | O_NOFOLLOW): the object itself, never what a symlink points to. */
    private static int openPath(int dirFd, String name) {
        try (Arena a = Arena.ofConfined()) {
            return Libc.openat(dirFd, a.allocateFrom(name), O_PATH() | O_NOFOLLOW() | O_CLOEXEC(), 0);
        }
    }

    private static void chmod(Path dest, int mode) {
        try (Arena a = Arena.ofConfined()) {
            Libc.fchmodat(AT_FDCWD(), a.allocateFrom(dest.toString()), mode, 0);
        }
    }
}
