package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.panfuse.bindings.stat;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.crypt.format.MasterKey;
import org.panfuse.crypt.format.NameCipher;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.ConnectionInfo;
import org.panfuse.fs.lowlevel.FileInfo;
import org.panfuse.fs.lowlevel.LowLevelFileSystem;
import org.panfuse.fs.lowlevel.ReplyAttr;
import org.panfuse.fs.lowlevel.ReplyData;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyEmpty;
import org.panfuse.fs.lowlevel.ReplyEntry;
import org.panfuse.fs.lowlevel.ReplyOpen;
import org.panfuse.fs.lowlevel.ReplyReadlink;
import org.panfuse.fs.lowlevel.ReplyStatfs;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.tree.Inode;
import org.panfuse.fs.tree.InodeTable;

/**
 * The decrypting view: a backup of a reverse view (a copy of its ciphertext,
 * wherever it was stored) shown read-only as the plaintext it was made from.
 * A name is looked up by encrypting it with its directory's DirIV, so a
 * lookup costs no listing; listings decrypt each name (long ones through their
 * .name files) and leave out what does not decrypt. File data is
 * authenticated block by block on read: a damaged block is an I/O error with
 * a log line naming the file and the offset, never garbage.
 */
public final class DecryptingView implements LowLevelFileSystem, AutoCloseable {
    private final InodeTable backup;
    private final MasterKey key;
    private final ContentCipher content;
    private final NameCipher names;
    private final BackupTree tree;
    private final double timeout;
    private final ViewNodes nodes;
    private final ConcurrentHashMap<Long, DecryptedFile> files = new ConcurrentHashMap<>();
    private final Listings listings = new Listings();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final ThreadLocal<DecryptingReader> readers;

    /**
     * A view of the backup {@code backup} (a table of the backup's directory;
     * taken over) decrypted with {@code key} (taken over, wiped at close).
     *
     * @param backup      the backup's directory, as an {@link InodeTable} of one source; closed with the view
     * @param key         the master key; closed with the view
     * @param longNameMax the key file's LongNameMax (255 where it sets none)
     * @param timeout     how long the kernel may keep names and attributes, in seconds
     * @throws IllegalArgumentException if {@code longNameMax} is outside 62..255
     * @throws ErrnoException           EIO if the backup's root has no valid gocryptfs.diriv (no backup of
     *                                  a reverse view)
     */
    public DecryptingView(InodeTable backup, MasterKey key, int longNameMax, double timeout) {
        this.backup = backup;
        this.key = key;
        this.content = key.contentCipher();
        this.names = key.nameCipher(longNameMax);
        this.tree = new BackupTree(names, content);
        this.timeout = timeout;
        int rootFd = backup.acquire(backup.root());
        try {
            this.nodes = new ViewNodes(backup, tree.dirIv(rootFd, "", ""));
        } catch (RuntimeException e) {
            content.close();
            throw e;
        } finally {
            backup.release(backup.root());
        }
        this.readers = ThreadLocal.withInitial(() -> new DecryptingReader(content));
    }

    @Override
    public void init(ConnectionInfo conn) {
        Listings.init(conn);
    }

    @Override
    public void destroy() {
        close();
    }

    @Override
    public synchronized void close() {
        for (DecryptedFile f : files.values()) {
            Libc.close(f.fd());
        }
        files.clear();
        listings.close();
        content.close();
        key.close();
        backup.close();
    }

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        ViewNode dir = nodes.get(parent);
        if (!dir.isDirectory()) {
            throw ErrnoException.of(ENOTDIR());
        }
        byte[] plainName = bytesOf(name);
        String diskName = tree.diskName(plainName, dir.dirIv);
        MemorySegment attr = reply.attr();
        Inode found;
        try (Arena arena = Arena.ofConfined()) {
            int dirFd = backup.acquire(dir.source);
            try {
                found = backup.lookup(dir.source, dirFd, arena.allocateFrom(diskName), attr);
            } finally {
                backup.release(dir.source);
            }
        }
        String plainPath = ViewNode.child(dir.viewPath, new String(plainName, StandardCharsets.ISO_8859_1));
        String cipherPath = ViewNode.child(dir.otherPath, diskName);
        ViewNode node;
        try {
            int type = stat.st_mode(attr) & S_IFMT();
            ViewNode.Kind kind = type == S_IFDIR() ? ViewNode.Kind.DIRECTORY
                    : type == S_IFREG() ? ViewNode.Kind.FILE
                    : type == S_IFLNK() ? ViewNode.Kind.SYMLINK : ViewNode.Kind.SPECIAL;
            byte[] dirIv = null;
            if (kind == ViewNode.Kind.DIRECTORY) {
                int fd = backup.acquire(found);
                try {
                    dirIv = tree.dirIv(fd, cipherPath, plainPath);
                } finally {
                    backup.release(found);
                }
            }
            node = nodes.found(kind, plainPath, cipherPath, found, dirIv, null);
        } catch (RuntimeException e) {
            backup.forget(found.nodeId(), 1);
            throw e;
        }
        present(node, attr);
        reply.entry(node.nodeId, 0, timeout, timeout);
    }

    @Override
    public void forget(long ino, long nlookup) {
        nodes.forget(ino, nlookup);
    }

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        ViewNode node = nodes.get(ino);
        int fd = backup.acquire(node.source);
        try {
            backup.statInto(node.source, fd, reply.attr());
        } finally {
            backup.release(node.source);
        }
        present(node, reply.attr());
        reply.attr(timeout);
    }

    /** Sizes of plaintext: a file's from its ciphertext size, a symlink's from its decrypted target. */
    private void present(ViewNode node, MemorySegment attr) {
        switch (node.kind) {
            case FILE -> stat.st_size(attr, ContentCipher.plainSize(stat.st_size(attr)));
            case SYMLINK -> stat.st_size(attr, target(node).length);
            default -> { }
        }
    }

    private byte[] target(ViewNode node) {
        int fd = backup.acquire(node.source);
        try {
            return tree.readlink(fd, node.otherPath, node.viewPath);
        } finally {
            backup.release(node.source);
        }
    }

    @Override
    public void readlink(long ino, ReplyReadlink reply) {
        ViewNode node = nodes.get(ino);
        if (node.kind != ViewNode.Kind.SYMLINK) {
            throw ErrnoException.of(EINVAL());
        }
        byte[] target = target(node);
        MemorySegment buf = reply.buffer();
        MemorySegment.copy(target, 0, buf, ValueLayout.JAVA_BYTE, 0, target.length);
        buf.set(ValueLayout.JAVA_BYTE, target.length, (byte) 0);
        reply.target(buf);
    }

    @Override
    public void statfs(long ino, ReplyStatfs reply) {
        int fd = backup.acquire(backup.root());
        try {
            Libc.fstatvfs(fd, reply.statvfs());
        } finally {
            backup.release(backup.root());
        }
        reply.statfs();
    }

    @Override
    public void open(long ino, FileInfo fi, ReplyOpen reply) {
        ViewNode node = nodes.get(ino);
        if ((fi.flags() & O_ACCMODE()) != O_RDONLY()) {
            throw ErrnoException.of(EROFS());
        }
        if (node.kind != ViewNode.Kind.FILE) {
            throw ErrnoException.of(node.isDirectory() ? EISDIR() : EACCES());
        }
        int fd = backup.acquire(node.source);
        DecryptedFile file;
        try {
            file = tree.open(fd, node.otherPath, node.viewPath);
        } finally {
            backup.release(node.source);
        }
        long fh = nextHandle.getAndIncrement();
        files.put(fh, file);
        fi.fh(fh);
        reply.opened(fi);
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        DecryptedFile file = files.get(fi.fh());
        if (file == null) {
            throw ErrnoException.of(EBADF());
        }
        MemorySegment out = reply.buffer(size);
        reply.data(out, readers.get().read(file, offset, size, out));
    }

    @Override
    public void release(long ino, FileInfo fi, ReplyEmpty reply) {
        DecryptedFile file = files.remove(fi.fh());
        if (file != null) {
            Libc.close(file.fd());
        }
        reply.ok();
    }

    @Override
    public void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        ViewNode dir = nodes.get(ino);
        if (!dir.isDirectory()) {
            throw ErrnoException.of(ENOTDIR());
        }
        Listing listing = new Listing();
        try {
            listing.add(".", S_IFDIR(), 0);
            listing.add("..", S_IFDIR(), 0);
            int fd = backup.acquire(dir.source);
            try {
                for (BackupTree.Entry e : tree.list(fd, dir.dirIv, dir == nodes.root(), dir.viewPath)) {
                    listing.add(e.plainName(), e.type(), backup.viewIno(dir.source, e.ino()));
                }
            } finally {
                backup.release(dir.source);
            }
        } catch (RuntimeException e) {
            listing.close();
            throw e;
        }
        fi.fh(listings.add(listing));
        reply.opened(fi);
    }

    @Override
    public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        listings.reply(fi.fh(), offset, reply);
    }

    @Override
    public void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        listings.release(fi.fh());
        reply.ok();
    }

    private static byte[] bytesOf(MemorySegment name) {
        MemorySegment n = name.reinterpret(NameCipher.NAME_MAX + 2L);
        int length = 0;
        while (length <= NameCipher.NAME_MAX && n.get(ValueLayout.JAVA_BYTE, length) != 0) {
            length++;
        }
        return n.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
