package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.panfuse.crypt.format.AuthenticationException;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.crypt.format.KeyFile;
import org.panfuse.crypt.format.NameCipher;
import org.panfuse.crypt.format.PathIv;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a backup of a reverse view (a gocryptfs tree in AES-SIV reverse
 * format) back to plaintext, on descriptors: the decrypting view and the
 * no-mount restore both go through here. A backup is untrusted storage:
 * names that do not decrypt are skipped with a warning, and a file whose
 * header does not carry the ID derived from its own path (a file moved or
 * swapped in the backup) is refused, as is every block that fails to
 * authenticate.
 */
final class BackupTree {
    private static final Logger LOG = LoggerFactory.getLogger(BackupTree.class);
    /** gocryptfs's limit for a .name file (an encrypted name of 255 bytes is 344 base64 characters). */
    private static final int NAME_FILE_MAX = 344;

    /** One plaintext entry of a backup directory. */
    record Entry(byte[] plainName, String diskName, int type, long ino) {
    }

    private final NameCipher names;
    private final ContentCipher content;

    BackupTree(NameCipher names, ContentCipher content) {
        this.names = names;
        this.content = content;
    }

    /**
     * The DirIV of the backup directory {@code dirFd} (any descriptor of it,
     * O_PATH too) at {@code cipherPath}. A reverse view derives it from the
     * directory's encrypted path, so one that differs is a directory moved in
     * the backup (or a tree that no reverse view made): refused.
     */
    byte[] dirIv(int dirFd, String cipherPath, String plainPath) {
        byte[] iv = readSmall(dirFd, NameCipher.DIRIV_NAME, NameCipher.DIRIV_LENGTH + 1);
        if (iv == null || iv.length != NameCipher.DIRIV_LENGTH) {
            if (plainPath.isEmpty()) {
                // The backup's top: the caller says that this is no backup at all.
                throw ErrnoException.of(EIO());
            }
            LOG.warn("{}: no valid {} in the backup directory", display(plainPath), NameCipher.DIRIV_NAME);
            throw ErrnoException.of(EIO());
        }
        if (!Arrays.equals(iv, PathIv.derive(cipherPath.getBytes(StandardCharsets.ISO_8859_1), PathIv.DIRIV))) {
            if (!plainPath.isEmpty()) {
                LOG.warn("{}: the directory's IV is not the one of its path: moved in the backup",
                        display(plainPath));
            }
            throw ErrnoException.of(EIO());
        }
        return iv;
    }

    /** The name on disk of {@code plainName} in a directory with {@code dirIv}. */
    String diskName(byte[] plainName, byte[] dirIv) {
        if (plainName.length == 0 || plainName.length > NameCipher.NAME_MAX) {
            throw ErrnoException.of(plainName.length == 0 ? ENOENT() : ENAMETOOLONG());
        }
        return names.diskName(names.encrypt(plainName, dirIv));
    }

    /** The plaintext entries of a backup directory (its virtual files and undecryptable names left out). */
    List<Entry> list(int dirFd, byte[] dirIv, boolean root, String plainPath) {
        List<Entry> out = new ArrayList<>();
        for (SourceEntries.Entry e : SourceEntries.of(dirFd)) {
            String disk = new String(e.name(), StandardCharsets.ISO_8859_1);
            if (disk.equals(NameCipher.DIRIV_NAME) || NameCipher.isNameFile(disk)
                    || (root && (disk.equals(KeyFile.NAME) || disk.equals(KeyFile.REVERSE_NAME)))) {
                continue;
            }
            String encrypted = disk;
            if (NameCipher.isLongContent(disk)) {
                byte[] full = readSmall(dirFd, disk + NameCipher.LONGNAME_SUFFIX, NAME_FILE_MAX + 1);
                if (full == null || full.length > NAME_FILE_MAX) {
                    LOG.warn("{}: skipping {}: its .name file is missing or too long", display(plainPath), disk);
                    continue;
                }
                encrypted = new String(full, StandardCharsets.ISO_8859_1);
                if (!names.diskName(encrypted).equals(disk)) {
                    LOG.warn("{}: skipping {}: its .name file belongs to another name", display(plainPath), disk);
                    continue;
                }
            }
            try {
                out.add(new Entry(names.decrypt(encrypted, dirIv), disk, e.type(), e.ino()));
            } catch (AuthenticationException bad) {
                LOG.warn("{}: skipping {}: the name does not decrypt with this key", display(plainPath), disk);
            }
        }
        return out;
    }

    /**
     * Opens the backup file at {@code cipherPath} (open as the O_PATH
     * descriptor {@code pathFd}) and checks its header.
     */
    DecryptedFile open(int pathFd, String cipherPath, String plainPath) {
        int fd = Libc.openat(AT_FDCWD(), org.panfuse.fs.posix.ProcFdPath.of(pathFd), O_RDONLY() | O_CLOEXEC(), 0);
        try {
            byte[] header = new byte[ContentCipher.HEADER_LENGTH];
            int n = preadFully(fd, header, 0);
            if (n == 0) {
                return new DecryptedFile(fd, null, plainPath);
            }
            byte[] fileId;
            try {
                if (n < header.length) {
                    throw new AuthenticationException("the file is shorter than its header");
                }
                fileId = ContentCipher.parseHeader(header, 0);
            } catch (AuthenticationException e) {
                LOG.warn("{}: damaged header: {}", display(plainPath), e.getMessage());
                throw ErrnoException.of(EIO());
            }
            byte[] expected = PathIv.derive(cipherPath.getBytes(StandardCharsets.ISO_8859_1), PathIv.FILEID);
            if (!Arrays.equals(fileId, expected)) {
                LOG.warn("{}: the file's ID is not the one of its path: moved or swapped in the backup",
                        display(plainPath));
                throw ErrnoException.of(EIO());
            }
            return new DecryptedFile(fd, fileId, plainPath);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * The decrypted target of the backup symlink at {@code cipherPath}, open
     * as the O_PATH descriptor {@code pathFd}. Its nonce must be the one a
     * reverse view derives from that path, so a target moved from another
     * link is refused too.
     */
    byte[] readlink(int pathFd, String cipherPath, String plainPath) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4097);
            long n = Libc.readlinkat(pathFd, arena.allocateFrom(""), buf, 4096);
            String encrypted = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
            byte[] target;
            try {
                target = content.decryptSymlink(encrypted);
            } catch (AuthenticationException e) {
                LOG.warn("{}: the symlink's target does not decrypt: {}", display(plainPath), e.getMessage());
                throw ErrnoException.of(EIO());
            }
            byte[] nonce = PathIv.derive(ViewNode.symlinkIvPath(cipherPath).getBytes(StandardCharsets.ISO_8859_1),
                    PathIv.SYMLINKIV);
            if (!content.encryptSymlink(target, nonce).equals(encrypted)) {
                LOG.warn("{}: the symlink's target is not the one of its path: moved in the backup",
                        display(plainPath));
                throw ErrnoException.of(EIO());
            }
            return target;
        }
    }

    /**
     * Reads the small file {@code name} of the directory {@code dirFd}: null
     * if absent or not a regular file (looked at through O_PATH first, so no
     * FIFO blocks and no device is opened).
     */
    private static byte[] readSmall(int dirFd, String name, int max) {
        try (Arena arena = Arena.ofConfined()) {
            int fd;
            try {
                int path = Libc.openat(dirFd, arena.allocateFrom(name), O_PATH() | O_NOFOLLOW() | O_CLOEXEC(), 0);
                try {
                    MemorySegment st = arena.allocate(org.panfuse.bindings.stat.layout());
                    Libc.fstatat(path, arena.allocateFrom(""), st, AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW());
                    if ((org.panfuse.bindings.stat.st_mode(st) & S_IFMT()) != S_IFREG()) {
                        return null;
                    }
                    fd = Libc.openat(AT_FDCWD(), org.panfuse.fs.posix.ProcFdPath.of(path),
                            O_RDONLY() | O_CLOEXEC() | O_NONBLOCK() | O_NOCTTY(), 0);
                } finally {
                    Libc.close(path);
                }
            } catch (ErrnoException e) {
                return null;
            }
            try {
                MemorySegment buf = arena.allocate(max);
                long total = 0;
                long n;
                while (total < max && (n = Libc.pread(fd, buf.asSlice(total), max - total, total)) > 0) {
                    total += n;
                }
                return buf.asSlice(0, total).toArray(ValueLayout.JAVA_BYTE);
            } catch (ErrnoException e) {
                return null;
            } finally {
                Libc.close(fd);
            }
        }
    }

    private static int preadFully(int fd, byte[] into, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(into.length);
            long total = 0;
            long n;
            while (total < into.length && (n = Libc.pread(fd, buf.asSlice(total), into.length - total,
                    offset + total)) > 0) {
                total += n;
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, into, 0, (int) total);
            return (int) total;
        }
    }

    /**
     * A plaintext path (bytes kept one to one in a Latin-1 string) as a log
     * or error line shows it: UTF-8, with control characters escaped so that
     * no name can write to the terminal.
     */
    static String display(String plainPath) {
        String text = "/" + new String(plainPath.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
