/*
 * The parts of the kernel's FUSE protocol that panfuse speaks beyond what
 * libfuse 3.14 does: kernel passthrough (protocol 7.40, Linux 6.9) and the
 * INIT fields it needs. libfuse keeps its copy of the protocol header
 * private, and Debian 12's <linux/fuse.h> (Linux 6.1) predates passthrough,
 * so the layouts are declared here, as the protocol defines them, for
 * jextract to turn into Java layouts. Only what panfuse uses.
 */
#ifndef PANFUSE_FUSE_KERNEL_PASSTHROUGH_H
#define PANFUSE_FUSE_KERNEL_PASSTHROUGH_H

#include <stdint.h>
#include <linux/ioctl.h>

/* Every request starts with this header. */
struct fuse_in_header {
    uint32_t len;
    uint32_t opcode;
    uint64_t unique;
    uint64_t nodeid;
    uint32_t uid;
    uint32_t gid;
    uint32_t pid;
    uint16_t total_extlen;
    uint16_t padding;
};

/* Every reply starts with this header. */
struct fuse_out_header {
    uint32_t len;
    int32_t error;
    uint64_t unique;
};

/* INIT's request and reply with the 7.36+ second flags word and 7.40's stacking depth. */
struct fuse_init_in {
    uint32_t major;
    uint32_t minor;
    uint32_t max_readahead;
    uint32_t flags;
    uint32_t flags2;
    uint32_t unused[11];
};

struct fuse_init_out {
    uint32_t major;
    uint32_t minor;
    uint32_t max_readahead;
    uint32_t flags;
    uint16_t max_background;
    uint16_t congestion_threshold;
    uint32_t max_write;
    uint32_t time_gran;
    uint16_t max_pages;
    uint16_t map_alignment;
    uint32_t flags2;
    uint32_t max_stack_depth;
    uint32_t unused[6];
};

/* An attribute, an entry and an open file as OPEN and CREATE answer them. */
struct fuse_attr {
    uint64_t ino;
    uint64_t size;
    uint64_t blocks;
    uint64_t atime;
    uint64_t mtime;
    uint64_t ctime;
    uint32_t atimensec;
    uint32_t mtimensec;
    uint32_t ctimensec;
    uint32_t mode;
    uint32_t nlink;
    uint32_t uid;
    uint32_t gid;
    uint32_t rdev;
    uint32_t blksize;
    uint32_t flags;
};

struct fuse_entry_out {
    uint64_t nodeid;
    uint64_t generation;
    uint64_t entry_valid;
    uint64_t attr_valid;
    uint32_t entry_valid_nsec;
    uint32_t attr_valid_nsec;
    struct fuse_attr attr;
};

struct fuse_open_out {
    uint64_t fh;
    uint32_t open_flags;
    int32_t backing_id;
};

/* What FUSE_DEV_IOC_BACKING_OPEN takes: the descriptor the kernel is to read and write. */
struct fuse_backing_map {
    int32_t fd;
    uint32_t flags;
    uint64_t padding;
};

#define FUSE_KERNEL_OP_INIT 26
/* INIT flags: the second word is there; the kernel handles killing suid/sgid on write and chown. */
#define FUSE_KERNEL_INIT_EXT (1U << 30)
#define FUSE_KERNEL_HANDLE_KILLPRIV (1U << 19)
/* Lookups and readdir in one directory in parallel: libfuse before 3.17 never sends it (libfuse #861). */
#define FUSE_KERNEL_PARALLEL_DIROPS (1U << 18)
/* FUSE_PASSTHROUGH is flag bit 37: bit 5 of flags2. */
#define FUSE_KERNEL_PASSTHROUGH_FLAGS2 (1U << 5)
#define FUSE_KERNEL_FOPEN_DIRECT_IO (1U << 0)
#define FUSE_KERNEL_FOPEN_NOFLUSH (1U << 5)
#define FUSE_KERNEL_FOPEN_PASSTHROUGH (1U << 7)
#define FUSE_KERNEL_DEV_IOC_BACKING_OPEN _IOW(229, 1, struct fuse_backing_map)
#define FUSE_KERNEL_DEV_IOC_BACKING_CLOSE _IOW(229, 2, uint32_t)

#endif
