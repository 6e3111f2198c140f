package org.panfuse.examples.memtree;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.statvfs;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.FileInfo;
import org.panfuse.fs.lowlevel.LowLevelFileSystem;
import org.panfuse.fs.lowlevel.Names;
import org.panfuse.fs.lowlevel.ReplyAttr;
import org.panfuse.fs.lowlevel.ReplyData;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyEmpty;
import org.panfuse.fs.lowlevel.ReplyEntry;
import org.panfuse.fs.lowlevel.ReplyOpen;
import org.panfuse.fs.lowlevel.ReplyReadlink;
import org.panfuse.fs.lowlevel.ReplyStatfs;

/**
 * A read-only tree held in memory: directories, files and symlinks fixed at
 * construction. It implements only what a read-only tree needs; every other
 * operation stays unregistered, so the kernel answers ENOSYS (or EROFS on a
 * read-only mount) by itself.
 *
 * <p>This example uses the raw, allocation-free side of the API: attributes
 * filled in place in the reply's {@code struct stat}, names and contents as
 * off-heap segments. (The ZIP example shows the typed side.) File contents
 * live off-heap, so reads answer straight from native memory.
 * Inodes never change, so the kernel may cache everything for long.
 */
public final class MemoryTreeFs implements LowLevelFileSystem {
    private static final double FOREVER = 3600;

    /** One node; its inode number is its index in {@link #nodes} plus one (the root is 1). */
    private record Node(long ino, int mode, MemorySegment content, Map<String, Long> children, MemorySegment name) {
    }

    private final Arena arena = Arena.ofShared();
    private final List<Node> nodes = new ArrayList<>();
    private final long createdAt = System.currentTimeMillis() / 1000;

    /** A tree builder: paths with '/' separators, parents made as needed. */
    public static final class Builder {
        private final MemoryTreeFs fs = new MemoryTreeFs();

        public Builder file(String path, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            MemorySegment data = fs.arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            fs.add(path, S_IFREG() | 0444, data.asSlice(0, bytes.length));
            return this;
        }

        public Builder symlink(String path, String target) {
            fs.add(path, S_IFLNK() | 0777, fs.arena.allocateFrom(target));
            return this;
        }

        public Builder directory(String path) {
            fs.directoryAt(path);
            return this;
        }

        public MemoryTreeFs build() {
            return fs;
        }
    }

    private MemoryTreeFs() {
        nodes.add(new Node(FUSE_ROOT_ID(), S_IFDIR() | 0555, MemorySegment.NULL, new LinkedHashMap<>(), MemorySegment.NULL));
    }

    public static Builder builder() {
        return new Builder();
    }

    private Node node(long ino) {
        if (ino < 1 || ino > nodes.size()) {
            throw ErrnoException.of(ENOENT());
        }
        return nodes.get((int) (ino - 1));
    }

    private Node directoryAt(String path) {
        Node dir = nodes.get(0);
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Long child = dir.children().get(part);
            if (child == null) {
                Node made = new Node(nodes.size() + 1, S_IFDIR() | 0555, MemorySegment.NULL, new LinkedHashMap<>(),
                        arena.allocateFrom(part));
                nodes.add(made);
                dir.children().put(part, made.ino());
                dir = made;
            } else {
                dir = node(child);
            }
        }
        return dir;
    }

    private void add(String path, int mode, MemorySegment content) {
        int slash = path.lastIndexOf('/');
        Node dir = directoryAt(slash < 0 ? "" : path.substring(0, slash));
        String name = path.substring(slash + 1);
        Node made = new Node(nodes.size() + 1, mode, content, Map.of(), arena.allocateFrom(name));
        nodes.add(made);
        dir.children().put(name, made.ino());
    }

    private void fill(Node n, MemorySegment attr) {
        attr.fill((byte) 0);
        stat.st_ino(attr, n.ino());
        stat.st_mode(attr, n.mode());
        boolean dir = (n.mode() & S_IFMT()) == S_IFDIR();
        stat.st_nlink(attr, dir ? 2 + n.children().values().stream().filter(c -> (node(c).mode() & S_IFMT()) == S_IFDIR()).count() : 1);
        long size = dir ? 0 : (n.mode() & S_IFMT()) == S_IFLNK() ? Names.length(n.content())
                : n.content().byteSize();
        stat.st_size(attr, size);
        stat.st_blocks(attr, (size + 511) / 512);
        stat.st_blksize(attr, 4096);
        for (MemorySegment t : List.of(stat.st_atim(attr), stat.st_mtim(attr), stat.st_ctim(attr))) {
            org.panfuse.bindings.timespec.tv_sec(t, createdAt);
        }
    }

    @Override
    public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
        Node dir = node(parent);
        Long child = dir.children().get(Names.string(name));
        if (child == null) {
            reply.noEntry(FOREVER);
            return;
        }
        fill(node(child), reply.attr());
        reply.entry(child, 0, FOREVER, FOREVER);
    }

    @Override
    public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
        fill(node(ino), reply.attr());
        reply.attr(FOREVER);
    }

    @Override
    public void readlink(long ino, ReplyReadlink reply) {
        Node n = node(ino);
        if ((n.mode() & S_IFMT()) != S_IFLNK()) {
            throw ErrnoException.of(EINVAL());
        }
        reply.target(n.content());
    }

    @Override
    public void open(long ino, FileInfo fi, ReplyOpen reply) {
        Node n = node(ino);
        if ((fi.flags() & O_ACCMODE()) != O_RDONLY()) {
            throw ErrnoException.of(EROFS());
        }
        if ((n.mode() & S_IFMT()) == S_IFDIR()) {
            throw ErrnoException.of(EISDIR());
        }
        fi.keepCache(true); // contents never change
        reply.opened(fi);
    }

    @Override
    public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
        MemorySegment content = node(ino).content();
        long start = Math.min(offset, content.byteSize());
        long n = Math.min(size, content.byteSize() - start);
        reply.data(content.asSlice(start, n), n);
    }

    @Override
    public void release(long ino, FileInfo fi, ReplyEmpty reply) {
        reply.ok();
    }

    @Override
    public void opendir(long ino, FileInfo fi, ReplyOpen reply) {
        if ((node(ino).mode() & S_IFMT()) != S_IFDIR()) {
            throw ErrnoException.of(ENOTDIR());
        }
        reply.opened(fi);
    }

    /** Offsets are positions in the list ".", "..", then the children in insertion order. */
    @Override
    public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
        Node dir = node(ino);
        List<Long> children = new ArrayList<>(dir.children().values());
        for (long i = offset; i < children.size() + 2; i++) {
            boolean added;
            if (i < 2) {
                added = reply.add(DOTS[(int) i], ino, S_IFDIR(), i + 1);
            } else {
                Node c = node(children.get((int) (i - 2)));
                added = reply.add(c.name(), c.ino(), c.mode() & S_IFMT(), i + 1);
            }
            if (!added) {
                break;
            }
        }
        reply.done();
    }

    private static final MemorySegment[] DOTS = {Arena.global().allocateFrom("."), Arena.global().allocateFrom("..")};

    @Override
    public void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
        reply.ok();
    }

    @Override
    public void statfs(long ino, ReplyStatfs reply) {
        MemorySegment s = reply.statvfs();
        s.fill((byte) 0);
        statvfs.f_bsize(s, 4096);
        statvfs.f_namemax(s, 255);
        statvfs.f_files(s, nodes.size());
        reply.statfs();
    }
}
