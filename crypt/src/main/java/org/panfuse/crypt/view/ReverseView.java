package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.panfuse.bindings.stat;
import org.panfuse.crypt.format.AuthenticationException;
import org.panfuse.crypt.format.ContentCipher;
import org.panfuse.crypt.format.KeyFile;
import org.panfuse.crypt.format.MasterKey;
import org.panfuse.crypt.format.NameCipher;
import org.panfuse.crypt.format.PathIv;
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
import org.panfuse.fs.posix.ProcFdPath;
import org.panfuse.fs.tree.Inode;
import org.panfuse.fs.tree.InodeTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted reverse view: plaintext sources shown read-only as gocryptfs
 * -reverse shows them, byte for byte. Names are EME-encrypted per directory
 * with the DirIV derived from the directory's encrypted path, long ones
 * hashed with a virtual {@code .name} file beside them; each directory has a
 * virtual {@code gocryptfs.diriv}, the root a {@code gocryptfs.conf} (the key
 * file, never hidden by an exclude); files are an 18-byte header and AES-SIV
 * blocks computed on read, with file ID and block IVs derived from the
 * encrypted path; symlink targets are encrypted likewise.
 *
 * <p>Where gocryptfs -reverse depends on the order files are read in (hard
 * links: the first path read fixes the IVs of all), each path here is its own
 * file, derived from its own path: the bytes of every path are what gocryptfs
 * shows for it when it is the one read first, the same at every mount.
 *
 * <p>Sources are reached as in the passthrough, through the {@link InodeTable}'s
 * O_PATH descriptors and *at calls, so nothing outside them is reached; the
 * config's excludes and one_file_system apply.
 */
public final class ReverseView implements LowLevelFileSystem, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseView.class);
    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");
    private static final int PATH_MAX = 4096;
    private static final byte[] REVERSE_NAME = KeyFile.REVERSE_NAME.getBytes(StandardCharsets.US_ASCII);
    private static final int VIRTUAL_FILE_MODE = 0100444;

    private final InodeTable sources;
    private final MasterKey key;
    private final ContentCipher content;
    private final NameCipher names;
    private final ShownKeyFile keyFile;
    /** The source's own .gocryptfs.reverse.conf is the key file shown as gocryptfs.conf (gocryptfs's default). */
    private final boolean keyFileInSource;
    private final double timeout;
    private final ViewNodes nodes;
    private final ConcurrentHashMap<Long, EncryptedFile> files = new ConcurrentHashMap<>();
    private final Listings listings = new Listings();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final ThreadLocal<EncryptingReader> readers;
    /** Hashed long name (by view path) -> plaintext name, as met in listings and lookups. */
    private final LongNameCache longNames = new LongNameCache();

    /**
     * A view of {@code sources} (taken over: closed with the view) encrypted
     * with {@code key} (taken over: wiped at close), showing {@code keyFile}
     * as gocryptfs.conf at the root. {@code keyFileInSource}: the key file is
     * the single source's own .gocryptfs.reverse.conf, listed under that
     * name in the source, shown only as gocryptfs.conf (as gocryptfs does).
     *
     * @param sources         the plaintext sources, as an {@link InodeTable}; closed with the view
     * @param key             the master key, unlocked from the key file; closed with the view
     * @param longNameMax     the key file's LongNameMax (255 where it sets none)
     * @param keyFilePath     the key file, opened once for its owner, mode and times
     * @param keyFileBytes    the key file's bytes, as read to unlock it (copied): shown as gocryptfs.conf
     * @param keyFileInSource whether the key file is the single source's own .gocryptfs.reverse.conf
     * @param timeout         how long the kernel may keep names and attributes, in seconds
     * @throws IllegalArgumentException if {@code longNameMax} is outside 62..255
     * @throws ErrnoException           if the key file cannot be opened
     */
    public ReverseView(InodeTable sources, MasterKey key, int longNameMax, java.nio.file.Path keyFilePath,
            byte[] keyFileBytes, boolean keyFileInSource, double timeout) {
        this.sources = sources;
        this.key = key;
        this.content = key.contentCipher();
        this.names = key.nameCipher(longNameMax);
        this.keyFile = ShownKeyFile.of(keyFilePath, keyFileBytes);
        this.keyFileInSource = keyFileInSource;
        this.timeout = timeout;
        this.nodes = new ViewNodes(sources, PathIv.derive(new byte[0], PathIv.DIRIV));
        this.readers = ThreadLocal.withInitial(() -> new EncryptingReader(content));
    }

    @Override
    public void init(ConnectionInfo conn) {
        Listings.init(conn);
    }

    @Override
    public void destroy() {
        close();
    }

    /** Closes every descriptor and wipes the keys. */
    @Override
    public synchronized void close() {
        for (EncryptedFile f : files.values()) {
            Libc.close(f.fd());
        }
        files.clear();
        listings.close();
        keyFile.close();
        content.close();
        key.close();
        sources.close();
    }

    // ---- names

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        ViewNode dir = nodes.get(parent);
        if (!dir.isDirectory()) {
            throw ErrnoException.of(ENOTDIR());
        }
        String cName = asciiName(name);
        if (cName == null || cName.equals(".") || cName.equals("..")) {
            // The kernel resolves "." and ".." itself; an undecodable name is nothing we show.
            throw ErrnoException.of(ENOENT());
        }
        ViewNode found = resolve(dir, cName, reply.attr());
        reply.entry(found.nodeId, 0, timeout, timeout);
    }

    private ViewNode resolve(ViewNode dir, String cName, MemorySegment attr) {
        String path = ViewNode.child(dir.viewPath, cName);
        if (cName.equals(NameCipher.DIRIV_NAME)) {
            ViewNode n = nodes.found(ViewNode.Kind.DIRIV, path, dir.otherPath, nodes.borrow(dir), null, dir.dirIv);
            attrOf(n, attr);
            return n;
        }
        if (dir == nodes.root() && cName.equals(KeyFile.NAME)) {
            ViewNode n = nodes.found(ViewNode.Kind.KEY_FILE, path, "", nodes.borrow(dir), null, null);
            attrOf(n, attr);
            return n;
        }
        boolean nameFile = NameCipher.isNameFile(cName);
        String diskName = nameFile ? cName.substring(0, cName.length() - NameCipher.LONGNAME_SUFFIX.length()) : cName;
        byte[] plainName;
        if (NameCipher.isLongContent(diskName)) {
            plainName = longName(dir, diskName);
        } else if (nameFile) {
            throw ErrnoException.of(ENOENT());
        } else {
            try {
                plainName = names.decrypt(cName, dir.dirIv);
            } catch (AuthenticationException e) {
                throw ErrnoException.of(ENOENT());
            }
        }
        if (hidesKeyFile(dir, plainName)) {
            throw ErrnoException.of(ENOENT());
        }
        Inode source = lookupSource(dir, plainName, attr);
        String otherPath = ViewNode.child(dir.otherPath, new String(plainName, StandardCharsets.UTF_8));
        if (nameFile) {
            String encrypted = names.encrypt(plainName, dir.dirIv);
            ViewNode n = nodes.found(ViewNode.Kind.NAME_FILE, ViewNode.child(dir.viewPath, cName), otherPath, source,
                    null, encrypted.getBytes(StandardCharsets.US_ASCII));
            attrOf(n, attr);
            return n;
        }
        int type = stat.st_mode(attr) & S_IFMT();
        ViewNode.Kind kind = type == S_IFDIR() ? ViewNode.Kind.DIRECTORY
                : type == S_IFREG() ? ViewNode.Kind.FILE
                : type == S_IFLNK() ? ViewNode.Kind.SYMLINK : ViewNode.Kind.SPECIAL;
        byte[] dirIv = kind == ViewNode.Kind.DIRECTORY ? PathIv.derive(ascii(path), PathIv.DIRIV) : null;
        ViewNode n = nodes.found(kind, path, otherPath, source, dirIv, null);
        present(n, attr);
        return n;
    }

    /** The single source's own key file, which shows only as gocryptfs.conf. */
    private boolean hidesKeyFile(ViewNode dir, byte[] plainName) {
        return keyFileInSource && dir == nodes.root() && Arrays.equals(plainName, REVERSE_NAME);
    }

    /** Looks {@code plainName} up in {@code dir}'s source (excludes and boundaries applied), with one lookup counted. */
    private Inode lookupSource(ViewNode dir, byte[] plainName, MemorySegment attr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = CStrings.of(arena, plainName);
            if (dir.source.isVirtualRoot()) {
                return sources.lookup(dir.source, -1, name, attr);
            }
            int fd = sources.acquire(dir.source);
            try {
                return sources.lookup(dir.source, fd, name, attr);
            } finally {
                sources.release(dir.source);
            }
        }
    }

    /** The plaintext name behind a hashed long name in {@code dir}: remembered, else found by listing the directory. */
    private byte[] longName(ViewNode dir, String hashed) {
        String key = ViewNode.child(dir.viewPath, hashed);
        byte[] known = longNames.get(key);
        if (known != null) {
            return known;
        }
        for (SourceEntries.Entry e : entriesOf(dir)) {
            String encrypted = names.encrypt(e.name(), dir.dirIv);
            if (names.isLong(encrypted)) {
                String disk = names.diskName(encrypted);
                longNames.put(ViewNode.child(dir.viewPath, disk), e.name());
                if (disk.equals(hashed)) {
                    return e.name();
                }
            }
        }
        throw ErrnoException.of(ENOENT());
    }

    /** The source entries of a directory of the view (the sources' names at a virtual root). */
    private List<SourceEntries.Entry> entriesOf(ViewNode dir) {
        if (dir.source.isVirtualRoot()) {
            return sources.sourceDirectories().stream()
                    .map(d -> new SourceEntries.Entry(InodeTable.entryName(d), S_IFDIR(), sources.viewIno(d)))
                    .toList();
        }
        if (dir.source.isBoundary()) {
            return List.of();
        }
        int fd = sources.acquire(dir.source);
        try {
            List<SourceEntries.Entry> all = SourceEntries.of(fd);
            InodeTable.DirectoryExcludes excludes = sources.excludesIn(dir.source, fd);
            if (excludes == null) {
                return all;
            }
            try (Arena arena = Arena.ofConfined()) {
                return all.stream()
                        .filter(e -> !excludes.excludes(CStrings.of(arena, e.name()), isDirectory(fd, e)))
                        .toList();
            }
        } finally {
            sources.release(dir.source);
        }
    }

    private static boolean isDirectory(int dirFd, SourceEntries.Entry e) {
        if (e.type() != 0) {
            return e.type() == S_IFDIR();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(stat.layout());
            Libc.fstatat(dirFd, CStrings.of(arena, e.name()), st, AT_SYMLINK_NOFOLLOW());
            return (stat.st_mode(st) & S_IFMT()) == S_IFDIR();
        } catch (ErrnoException gone) {
            return false;
        }
    }

    @Override
    public void forget(long ino, long nlookup) {
        nodes.forget(ino, nlookup);
    }

    // ---- attributes

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        attrOf(nodes.get(ino), reply.attr());
        reply.attr(timeout);
    }

    /** Fills {@code attr} with what the view shows for {@code node}. */
    private void attrOf(ViewNode node, MemorySegment attr) {
        switch (node.kind) {
            case KEY_FILE -> keyFile.statInto(attr, VirtualInodeNumbers.of(node.viewPath));
            case DIRIV, NAME_FILE -> {
                sourceStat(node.source, attr);
                virtualFile(attr, node.content.length, VirtualInodeNumbers.of(node.viewPath));
            }
            default -> {
                sourceStat(node.source, attr);
                present(node, attr);
            }
        }
    }

    private void sourceStat(Inode source, MemorySegment attr) {
        if (source.isVirtualRoot()) {
            sources.virtualRootAttr(attr);
            return;
        }
        int fd = sources.acquire(source);
        try {
            sources.statInto(source, fd, attr);
        } finally {
            sources.release(source);
        }
    }

    /** A source object's attributes as the view shows them: sizes of ciphertext. */
    private static void present(ViewNode node, MemorySegment attr) {
        switch (node.kind) {
            case FILE -> {
                stat.st_size(attr, ContentCipher.cipherSize(stat.st_size(attr)));
                if (stat.st_nlink(attr) > 1) {
                    // Each path of a hard-linked file is a ciphertext file of its own.
                    stat.st_nlink(attr, 1);
                    stat.st_ino(attr, VirtualInodeNumbers.of(node.viewPath));
                }
            }
            case SYMLINK -> stat.st_size(attr, symlinkSize(stat.st_size(attr)));
            default -> { }
        }
    }

    /** A virtual file (DirIV, long name) takes its owner and times from the object it belongs to. */
    private static void virtualFile(MemorySegment attr, long size, long ino) {
        stat.st_mode(attr, VIRTUAL_FILE_MODE);
        stat.st_nlink(attr, 1);
        stat.st_size(attr, size);
        stat.st_ino(attr, ino);
        stat.st_blocks(attr, (size + 511) / 512);
    }

    /** The length of an encrypted symlink target: unpadded base64 of nonce, tag and the target. */
    static long symlinkSize(long targetLength) {
        long n = 32 + targetLength;
        return (n * 4 + 2) / 3;
    }

    @Override
    public void readlink(long ino, ReplyReadlink reply) {
        ViewNode node = nodes.get(ino);
        if (node.kind != ViewNode.Kind.SYMLINK) {
            throw ErrnoException.of(EINVAL());
        }
        byte[] target;
        int fd = sources.acquire(node.source);
        try {
            MemorySegment buf = reply.buffer();
            long n = Libc.readlinkat(fd, EMPTY, buf, PATH_MAX);
            target = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } finally {
            sources.release(node.source);
        }
        String encrypted = content.encryptSymlink(target, PathIv.derive(ascii(ViewNode.symlinkIvPath(node.viewPath)), PathIv.SYMLINKIV));
        if (encrypted.length() >= PATH_MAX) {
            throw ErrnoException.of(ENAMETOOLONG());
        }
        MemorySegment buf = reply.buffer();
        MemorySegment.copy(ascii(encrypted), 0, buf, ValueLayout.JAVA_BYTE, 0, encrypted.length());
        buf.set(ValueLayout.JAVA_BYTE, encrypted.length(), (byte) 0);
        reply.target(buf);
    }

    @Override
    public void statfs(long ino, ReplyStatfs reply) {
        Inode dir = sources.sourceDirectories().get(0);
        int fd = sources.acquire(dir);
        try {
            Libc.fstatvfs(fd, reply.statvfs());
        } finally {
            sources.release(dir);
        }
        reply.statfs();
    }

    // ---- files

    @Override
    public void open(long ino, FileInfo fi, ReplyOpen reply) {
        ViewNode node = nodes.get(ino);
        if ((fi.flags() & O_ACCMODE()) != O_RDONLY()) {
            throw ErrnoException.of(EROFS());
        }
        switch (node.kind) {
            case DIRIV, NAME_FILE, KEY_FILE -> {
                fi.fh(0).keepCache(true);
                reply.opened(fi);
            }
            case FILE -> {
                int fd = openSourceFile(node.source);
                byte[] pathBytes = ascii(node.viewPath);
                EncryptedFile file = EncryptedFile.of(fd, PathIv.derive(pathBytes, PathIv.FILEID),
                        PathIv.derive(pathBytes, PathIv.BLOCK0IV), node.viewPath);
                long fh = nextHandle.getAndIncrement();
                files.put(fh, file);
                fi.fh(fh);
                reply.opened(fi);
            }
            default -> throw ErrnoException.of(node.isDirectory() ? EISDIR() : EACCES());
        }
    }

    /** Opens the source file for reading, without touching its access time where the system allows. */
    private int openSourceFile(Inode source) {
        int fd = sources.acquire(source);
        try {
            MemorySegment path = ProcFdPath.of(fd);
            try {
                return Libc.openat(AT_FDCWD(), path, O_RDONLY() | O_CLOEXEC() | O_NOATIME(), 0);
            } catch (ErrnoException e) {
                if (e.errno() != EPERM()) {
                    throw e;
                }
                return Libc.openat(AT_FDCWD(), path, O_RDONLY() | O_CLOEXEC(), 0);
            }
        } finally {
            sources.release(source);
        }
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        MemorySegment out = reply.buffer(size);
        EncryptedFile file = files.get(fi.fh());
        if (file == null) {
            byte[] bytes = virtualContent(nodes.get(ino));
            int from = (int) Math.min(offset, bytes.length);
            int n = (int) Math.min(size, bytes.length - from);
            MemorySegment.copy(bytes, from, out, ValueLayout.JAVA_BYTE, 0, n);
            reply.data(out, n);
            return;
        }
        reply.data(out, readers.get().read(file, offset, size, out));
    }

    private byte[] virtualContent(ViewNode node) {
        return switch (node.kind) {
            case KEY_FILE -> keyFile.bytes;
            case DIRIV, NAME_FILE -> node.content;
            default -> throw ErrnoException.of(EBADF());
        };
    }

    @Override
    public void release(long ino, FileInfo fi, ReplyEmpty reply) {
        EncryptedFile file = files.remove(fi.fh());
        if (file != null) {
            Libc.close(file.fd());
        }
        reply.ok();
    }

    // ---- directories

    @Override
    public void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        ViewNode dir = nodes.get(ino);
        if (!dir.isDirectory()) {
            throw ErrnoException.of(ENOTDIR());
        }
        Listing listing = new Listing();
        try {
            list(dir, listing);
        } catch (RuntimeException e) {
            listing.close();
            throw e;
        }
        fi.fh(listings.add(listing));
        reply.opened(fi);
    }

    /** The view of one directory: its entries' encrypted names, then its virtual files. */
    private void list(ViewNode dir, Listing listing) {
        listing.add(".", S_IFDIR(), 0);
        listing.add("..", S_IFDIR(), 0);
        boolean keyFileListed = false;
        for (SourceEntries.Entry e : entriesOf(dir)) {
            long ino = dir.source.isVirtualRoot() ? e.ino() : sources.viewIno(dir.source, e.ino());
            if (hidesKeyFile(dir, e.name())) {
                listing.add(KeyFile.NAME, S_IFREG(), VirtualInodeNumbers.of(KeyFile.NAME));
                keyFileListed = true;
                continue;
            }
            String encrypted = names.encrypt(e.name(), dir.dirIv);
            String disk = names.diskName(encrypted);
            if (!disk.equals(encrypted)) {
                longNames.put(ViewNode.child(dir.viewPath, disk), e.name());
                String nameFile = disk + NameCipher.LONGNAME_SUFFIX;
                listing.add(nameFile, S_IFREG(), VirtualInodeNumbers.of(ViewNode.child(dir.viewPath, nameFile)));
            }
            listing.add(disk, e.type(), ino);
        }
        String diriv = ViewNode.child(dir.viewPath, NameCipher.DIRIV_NAME);
        listing.add(NameCipher.DIRIV_NAME, S_IFREG(), VirtualInodeNumbers.of(diriv));
        if (dir == nodes.root() && !keyFileListed) {
            listing.add(KeyFile.NAME, S_IFREG(), VirtualInodeNumbers.of(KeyFile.NAME));
        }
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

    // ---- helpers

    /** The kernel's name as ASCII (every name of the view is), or null if it is not. */
    private static String asciiName(MemorySegment name) {
        MemorySegment n = name.reinterpret(NameCipher.NAME_MAX + 1L);
        int length = 0;
        while (length <= NameCipher.NAME_MAX && n.get(ValueLayout.JAVA_BYTE, length) != 0) {
            byte b = n.get(ValueLayout.JAVA_BYTE, length);
            if (b < 0x20 || b > 0x7e) {
                return null;
            }
            length++;
        }
        return new String(n.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }


    /** {@return the nodes the kernel knows (for tests)} */
    public int knownNodes() {
        return nodes.size();
    }
}
