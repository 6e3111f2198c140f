package org.panfuse.fs.tree;

/** A source object's identity within a view: its source and (st_dev, st_ino). Hard links share it. */
record InodeKey(int source, long dev, long ino) {
}
