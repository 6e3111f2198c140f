package org.panfuse.examples.zip;

import static org.panfuse.bindings.panfuse_h.EISDIR;
import static org.panfuse.bindings.panfuse_h.ENOENT;
import static org.panfuse.bindings.panfuse_h.ENOTDIR;
import static org.panfuse.bindings.panfuse_h.EROFS;
import static org.panfuse.bindings.panfuse_h.O_ACCMODE;
import static org.panfuse.bindings.panfuse_h.O_RDONLY;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.FileAttributes;
import org.panfuse.fs.lowlevel.FileInfo;
import org.panfuse.fs.lowlevel.FileType;
import org.panfuse.fs.lowlevel.FsStats;
import org.panfuse.fs.lowlevel.LowLevelFileSystem;
import org.panfuse.fs.lowlevel.Names;
import org.panfuse.fs.lowlevel.ReplyAttr;
import org.panfuse.fs.lowlevel.ReplyData;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyEmpty;
import org.panfuse.fs.lowlevel.ReplyEntry;
import org.panfuse.fs.lowlevel.ReplyOpen;
import org.panfuse.fs.lowlevel.ReplyStatfs;

/**
 * A ZIP archive as a read-only directory tree: sizes, permissions (where the
 * archive was made on Unix) and modification times from the archive, entries
 * decompressed as they are read. Mount it read-only: writes are refused by the
 * kernel before they reach this class.
 *
 * <p>The archive is read through the JDK's ZIP filesystem. Its streams cannot
 * seek, so each open file keeps one stream and its position: sequential reads
 * (what cat, cp and the kernel's readahead do) continue it, a read behind it
 * starts the entry again.
 */
public final class ZipFs implements LowLevelFileSystem, AutoCloseable {
    private static final double TIMEOUT = 3600; // an archive mounted read-only does not change

    /** A file or directory of the archive; its inode number is its index in {@link #nodes} plus one. */
    private record Node(FileAttributes attributes, Path path, Map<String, Node> children) {
        boolean isDirectory() {
            return attributes.type() == FileType.DIRECTORY;
        }
    }

    /** An open file: a stream over the entry, and how far it has read. */
    private static final class Handle {
        final Path path;
        InputStream in;
        long position;

        Handle(Path path) {
            this.path = path;
        }
    }

    private final FileSystem zip;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Long, Handle> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /** Reads the archive's directory; the entries' data is read only when a file is. */
    public ZipFs(Path archive) throws IOException {
        zip = FileSystems.newFileSystem(archive, Map.of("enablePosixFileAttributes", "true"));
        Path root = zip.getRootDirectories().iterator().next();
        add(root, Files.getLastModifiedTime(archive).toInstant());
    }

    /** Adds {@code path} and what is below it; the root, which has no entry, gets the archive's mtime. */
    private Node add(Path path, Instant rootTime) throws IOException {
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
        boolean dir = a.isDirectory();
        Instant modified = nodes.isEmpty() ? rootTime : a.lastModifiedTime().toInstant();
        int permissions = 0;
        for (PosixFilePermission p : a.permissions()) {
            permissions |= 0400 >> p.ordinal(); // OWNER_READ .. OTHERS_EXECUTE, in st_mode's order
        }
        FileAttributes attributes = FileAttributes.builder(dir ? FileType.DIRECTORY : FileType.REGULAR)
                .ino(nodes.size() + 1).permissions(permissions).size(dir ? 0 : a.size())
                .times(modified).build();
        Node node = new Node(attributes, path, dir ? new TreeMap<>() : Map.of());
        nodes.add(node);
        if (dir) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.toList()) {
                    String name = child.getFileName().toString().replace("/", "");
                    node.children().put(name, add(child, rootTime));
                }
            }
        }
        return node;
    }

    private Node node(long ino) {
        if (ino < 1 || ino > nodes.size()) {
            throw ErrnoException.of(ENOENT());
        }
        return nodes.get((int) (ino - 1));
    }

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        Node dir = node(parent);
        Node child = dir.isDirectory() ? dir.children().get(Names.string(name)) : null;
        if (child == null) {
            reply.noEntry(TIMEOUT);
        } else {
            reply.entry(child.attributes(), TIMEOUT, TIMEOUT);
        }
    }

    @Override
    public void forget(long ino, long nlookup) {
        // Every node lives as long as the mount: nothing to count.
    }

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        reply.attr(node(ino).attributes(), TIMEOUT);
    }

    @Override
    public void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        if (!node(ino).isDirectory()) {
            throw ErrnoException.of(ENOTDIR());
        }
        fi.keepCache(true);
        reply.opened(fi);
    }

    /** Offsets: 1 after ".", 2 after "..", then one per child in name order. */
    @Override
    public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        Node dir = node(ino);
        long next = offset;
        if (next == 0 && !reply.add(".", ino, FileType.DIRECTORY, ++next)
                || next == 1 && !reply.add("..", ino, FileType.DIRECTORY, ++next)) {
            reply.done();
            return;
        }
        List<Node> children = List.copyOf(dir.children().values());
        List<String> names = List.copyOf(dir.children().keySet());
        for (int i = (int) next - 2; i < children.size(); i++) {
            FileAttributes a = children.get(i).attributes();
            if (!reply.add(names.get(i), a.ino(), a.type(), i + 3)) {
                break;
            }
        }
        reply.done();
    }

    @Override
    public void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        reply.ok();
    }

    @Override
    public void open(long ino, FileInfo fi, ReplyOpen reply) {
        Node file = node(ino);
        if (file.isDirectory()) {
            throw ErrnoException.of(EISDIR());
        }
        if ((fi.flags() & O_ACCMODE()) != O_RDONLY()) {
            throw ErrnoException.of(EROFS());
        }
        long fh = nextHandle.getAndIncrement();
        open.put(fh, new Handle(file.path()));
        fi.fh(fh);
        fi.keepCache(true);
        reply.opened(fi);
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        Handle h = open.get(fi.fh());
        long fileSize = node(ino).attributes().size();
        int length = (int) Math.max(0, Math.min(size, fileSize - offset));
        if (length == 0) {
            reply.data(new byte[0]);
            return;
        }
        byte[] data = new byte[length];
        synchronized (h) { // the kernel may read one open file from several threads
            try {
                if (h.in == null || offset < h.position) {
                    if (h.in != null) {
                        h.in.close();
                    }
                    h.in = Files.newInputStream(h.path);
                    h.position = 0;
                }
                h.in.skipNBytes(offset - h.position);
                h.position = offset;
                int n = h.in.readNBytes(data, 0, length);
                h.position += n;
                reply.data(data, 0, n);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // answered EIO, and logged
            }
        }
    }

    @Override
    public void release(long ino, FileInfo fi, ReplyEmpty reply) {
        Handle h = open.remove(fi.fh());
        try {
            if (h != null && h.in != null) {
                h.in.close();
            }
        } catch (IOException ignored) {
            // Nothing was written: nothing to lose.
        }
        reply.ok();
    }

    @Override
    public void statfs(long ino, ReplyStatfs reply) {
        reply.statfs(new FsStats(4096, 4096, 0, 0, 0, nodes.size(), 0, 0, 255));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
