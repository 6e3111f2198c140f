package org.panfuse.fs.passthrough;

/** A source object's identity: (st_dev, st_ino). Hard links share it. */
record InodeKey(long dev, long ino) {
}
