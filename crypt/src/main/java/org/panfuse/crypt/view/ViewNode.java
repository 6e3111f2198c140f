package org.panfuse.crypt.view;

import org.panfuse.fs.tree.Inode;

/**
 * One inode of an encrypted view (reverse or decrypting) as the kernel knows
 * it. Its identity is its place in the view ({@link #viewPath}), because in
 * gocryptfs's format everything about a file's bytes is derived from the
 * encrypted path: two hard links of one source file are two different
 * ciphertext files, so they must be two inodes to the kernel too.
 *
 * <p>{@link #source} is the object it shows (holding one lookup of the
 * source's {@link org.panfuse.fs.tree.InodeTable}); for a virtual file it is the
 * object whose attributes it borrows. Lookup counts are guarded by the
 * {@link ViewNodes} table.
 */
final class ViewNode {
    enum Kind {
        /** A directory of the view (the root included). */
        DIRECTORY,
        FILE,
        SYMLINK,
        /** FIFO, socket or device: shown, never opened by us. */
        SPECIAL,
        /** The virtual {@code gocryptfs.diriv} of a directory. */
        DIRIV,
        /** The virtual {@code gocryptfs.longname.*.name} holding a long encrypted name. */
        NAME_FILE,
        /** {@code gocryptfs.conf} at the root: the key file. */
        KEY_FILE
    }

    final long nodeId;
    final Kind kind;
    /** The path in the view, '/'-separated, no leading slash; "" for the root. */
    final String viewPath;
    /** The same in the other language (plaintext for the reverse view, ciphertext for the decrypting one). */
    final String otherPath;
    final Inode source;
    /** A directory's DirIV; null otherwise. */
    final byte[] dirIv;
    /** A small virtual file's bytes (DirIV, long name); null otherwise. */
    final byte[] content;
    long lookups;

    ViewNode(long nodeId, Kind kind, String viewPath, String otherPath, Inode source, byte[] dirIv, byte[] content) {
        this.nodeId = nodeId;
        this.kind = kind;
        this.viewPath = viewPath;
        this.otherPath = otherPath;
        this.source = source;
        this.dirIv = dirIv;
        this.content = content;
    }

    boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    /** {@code viewPath/name}, or {@code name} at the root. */
    static String child(String dirPath, String name) {
        return dirPath.isEmpty() ? name : dirPath + "/" + name;
    }

    /**
     * The path gocryptfs -reverse (2.3) derives a symlink's IV from: the
     * link's encrypted path with its own name appended once more (its readlink
     * joins the node's path and the node's name). Read in its source, pinned
     * by the oracle tests; kept so that the bytes match.
     */
    static String symlinkIvPath(String cipherPath) {
        return cipherPath + "/" + cipherPath.substring(cipherPath.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return kind + " #" + nodeId;
    }
}
