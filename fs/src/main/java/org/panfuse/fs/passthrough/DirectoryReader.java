package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.ReplyDirectory;
import org.panfuse.fs.lowlevel.ReplyDirectoryPlus;
import org.panfuse.fs.posix.Libc;
import org.panfuse.fs.tree.Inode;
import org.panfuse.fs.tree.InodeTable;

/**
 * Directory listings as the view shows them: a source directory's entries
 * with the view's inode numbers, less what is excluded, and nothing inside a
 * one_file_system boundary; the virtual root's "." and ".." and one entry per
 * source, in the configured order (offsets 1, 2, 3, ...).
 */
final class DirectoryReader {
    private static final int S_IFDIR = S_IFDIR();

    private final InodeTable inodes;
    private final double timeout;
    /** The virtual root's entry names as C strings: ".", "..", then each source's. */
    private final List<MemorySegment> rootNames = new ArrayList<>();

    DirectoryReader(InodeTable inodes, double timeout) {
        this.inodes = inodes;
        this.timeout = timeout;
        Arena names = Arena.ofAuto();
        rootNames.add(names.allocateFrom("."));
        rootNames.add(names.allocateFrom(".."));
        if (inodes.root().isVirtualRoot()) {
            for (Inode dir : inodes.sourceDirectories()) {
                byte[] name = InodeTable.entryName(dir);
                MemorySegment c = names.allocate(name.length + 1L);
                MemorySegment.copy(name, 0, c, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, name.length);
                rootNames.add(c);
            }
        }
    }

    void readdir(Inode dir, DirectoryHandle d, long offset, ReplyDirectory reply) {
        if (dir.isVirtualRoot()) {
            for (int k = (int) offset; k < rootNames.size(); k++) {
                long ino = k < 2 ? FUSE_ROOT_ID() : inodes.viewIno(inodes.sourceDirectories().get(k - 2));
                if (!reply.add(rootNames.get(k), ino, S_IFDIR, k + 1)) {
                    break;
                }
            }
            reply.done();
            return;
        }
        synchronized (d) {
            d.seek(offset);
            InodeTable.DirectoryExcludes excludes = inodes.excludesIn(dir, d.fd);
            for (MemorySegment e = d.peek(); !e.equals(MemorySegment.NULL); e = d.peek()) {
                MemorySegment name = DirectoryHandle.name(e);
                boolean dot = DirectoryHandle.isDotOrDotDot(e);
                if (!dot && hidden(dir, d, e, excludes)) {
                    d.advance();
                    continue;
                }
                if (!reply.add(name, inodes.viewIno(dir, DirectoryHandle.ino(e)), DirectoryHandle.type(e),
                        DirectoryHandle.nextOffset(e))) {
                    break;
                }
                d.advance();
            }
        }
        reply.done();
    }

    void readdirplus(Inode dir, DirectoryHandle d, long offset, ReplyDirectoryPlus reply) {
        if (dir.isVirtualRoot()) {
            for (int k = (int) offset; k < rootNames.size(); k++) {
                MemorySegment name = rootNames.get(k);
                boolean added;
                if (k < 2) {
                    inodes.virtualRootAttr(reply.attr());
                    added = reply.add(name, 0, 0, 0, 0, k + 1);
                } else {
                    Inode source = inodes.lookup(dir, -1, name, reply.attr());
                    added = reply.add(name, source.nodeId(), 0, timeout, timeout, k + 1);
                }
                if (!added) {
                    break;
                }
            }
            reply.done();
            return;
        }
        synchronized (d) {
            d.seek(offset);
            for (MemorySegment e = d.peek(); !e.equals(MemorySegment.NULL); e = d.peek()) {
                MemorySegment name = DirectoryHandle.name(e);
                long next = DirectoryHandle.nextOffset(e);
                boolean added;
                if (DirectoryHandle.isDotOrDotDot(e)) {
                    MemorySegment attr = reply.attr();
                    stat.st_ino(attr, inodes.viewIno(dir, DirectoryHandle.ino(e)));
                    stat.st_mode(attr, DirectoryHandle.type(e));
                    added = reply.add(name, 0, 0, 0, 0, next);
                } else {
                    Inode child;
                    try {
                        // As root: the kernel has checked the caller may list this directory.
                        child = inodes.lookup(dir, d.fd, name, reply.attr());
                    } catch (ErrnoException gone) {
                        // Removed since getdents64 saw it, excluded, or past a boundary: not listed.
                        d.advance();
                        continue;
                    }
                    added = reply.add(name, child.nodeId(), 0, timeout, timeout, next);
                    if (!added) {
                        inodes.forget(child.nodeId(), 1);
                    }
                }
                if (!added) {
                    break;
                }
                d.advance();
            }
        }
        reply.done();
    }

    /** True if the entry {@code e} of {@code dir} is not part of the view. */
    private boolean hidden(Inode dir, DirectoryHandle d, MemorySegment e, InodeTable.DirectoryExcludes excludes) {
        if (dir.isBoundary()) {
            return true;
        }
        if (excludes == null) {
            return false;
        }
        int type = DirectoryHandle.type(e);
        MemorySegment name = DirectoryHandle.name(e);
        if (type == 0) {
            // DT_UNKNOWN: the source's filesystem does not say; ask it.
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = stat.allocate(a);
                Libc.fstatat(d.fd, name, st, AT_SYMLINK_NOFOLLOW());
                type = stat.st_mode(st) & S_IFMT();
            } catch (ErrnoException gone) {
                return true;
            }
        }
        return excludes.excludes(name, type == S_IFDIR);
    }
}
