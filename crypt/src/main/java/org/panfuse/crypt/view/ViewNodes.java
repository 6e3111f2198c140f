package org.panfuse.crypt.view;

import static org.panfuse.bindings.panfuse_h.*;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.tree.Inode;
import org.panfuse.fs.tree.InodeTable;

/**
 * The view's inodes, by node id and by path in the view, with the kernel's
 * lookup counts. Each node holds exactly one lookup of the source object it
 * shows, given back when the kernel forgets the node.
 */
final class ViewNodes {
    private final ConcurrentHashMap<Long, ViewNode> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ViewNode> byPath = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FUSE_ROOT_ID() + 1);
    private final InodeTable sources;
    private final ViewNode root;

    ViewNodes(InodeTable sources, byte[] rootDirIv) {
        this.sources = sources;
        this.root = new ViewNode(FUSE_ROOT_ID(), ViewNode.Kind.DIRECTORY, "", "", sources.root(), rootDirIv, null);
        root.lookups = Long.MAX_VALUE / 2;
        byId.put(root.nodeId, root);
        byPath.put("", root);
    }

    ViewNode root() {
        return root;
    }

    ViewNode get(long nodeId) {
        ViewNode node = byId.get(nodeId);
        if (node == null) {
            throw ErrnoException.of(ESTALE());
        }
        return node;
    }

    /**
     * The node at {@code viewPath} showing {@code source}, with one more
     * lookup. {@code source} comes with a lookup of its own: the node keeps it
     * if it is new, else it is given back. A path that now shows another
     * object (replaced in the source) gets a new node; the old one lives on
     * for the kernel until forgotten.
     */
    synchronized ViewNode found(ViewNode.Kind kind, String viewPath, String otherPath, Inode source, byte[] dirIv,
            byte[] content) {
        ViewNode known = byPath.get(viewPath);
        if (known != null && known.kind == kind && known.source == source && known != root) {
            known.lookups++;
            giveBack(source);
            return known;
        }
        if (known == root) {
            giveBack(source);
            return root;
        }
        ViewNode fresh = new ViewNode(nextId.getAndIncrement(), kind, viewPath, otherPath, source, dirIv, content);
        fresh.lookups = 1;
        byId.put(fresh.nodeId, fresh);
        byPath.put(viewPath, fresh);
        return fresh;
    }

    synchronized void forget(long nodeId, long n) {
        ViewNode node = byId.get(nodeId);
        if (node == null || node == root) {
            return;
        }
        node.lookups -= n;
        if (node.lookups > 0) {
            return;
        }
        byId.remove(nodeId);
        byPath.remove(node.viewPath, node);
        giveBack(node.source);
    }

    /** One more lookup of {@code dir}'s source object, for a virtual file that borrows its attributes. */
    Inode borrow(ViewNode dir) {
        sources.addLookup(dir.source);
        return dir.source;
    }

    private void giveBack(Inode source) {
        if (source != null) {
            sources.forget(source.nodeId(), 1);
        }
    }

    int size() {
        return byId.size();
    }
}
