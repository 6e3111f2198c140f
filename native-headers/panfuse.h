/*
 * The one header jextract reads to generate org.panfuse.bindings.
 *
 * It pins the libfuse API level and pulls in the libc headers whose
 * constants, structs and functions the Java side needs, so that no number
 * from a C header is ever typed by hand in Java. What is actually emitted is
 * narrowed by the symbol list in jextract.args.
 */
#ifndef PANFUSE_H
#define PANFUSE_H

/* GNU extensions: renameat2 flags, O_PATH, name_to_handle_at, SEEK_DATA, ... */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64

/* libfuse 3.14's low-level API. */
#define FUSE_USE_VERSION 314
#include <fuse3/fuse_lowlevel.h>

#include <errno.h>
#include <fcntl.h>          /* O_*, AT_*, openat, name_to_handle_at, fallocate, struct flock */
#include <linux/falloc.h>   /* FALLOC_FL_* */
#include <sys/stat.h>       /* S_IF*, struct stat, fstatat, mkdirat, UTIME_* */
#include <sys/statvfs.h>    /* struct statvfs, fstatvfs */
#include <sys/xattr.h>      /* XATTR_CREATE/REPLACE, getxattr family */
#include <sys/file.h>       /* flock, LOCK_* */
#include <sys/resource.h>   /* getrlimit/setrlimit, RLIMIT_NOFILE */
#include <sys/uio.h>        /* struct iovec */
#include <stdio.h>          /* renameat2, RENAME_* */
#include <stdlib.h>         /* free */
#include <string.h>         /* strerror_r */
#include <unistd.h>         /* SEEK_*, pread, pwrite, readlinkat, copy_file_range, ... */
#include <dirent.h>         /* fdopendir, readdir, struct dirent, DT_* */
#include <time.h>           /* struct timespec */
#include <sched.h>          /* unshare, CLONE_FS: a worker thread's own umask */
#include <sys/fsuid.h>      /* setfsuid, setfsgid: per-thread filesystem credentials */
#include <sys/syscall.h>    /* SYS_setgroups, SYS_capset: the raw, per-thread system calls */
#include <linux/capability.h> /* struct __user_cap_*, _LINUX_CAPABILITY_VERSION_3 */
#include <limits.h>         /* NGROUPS_MAX */
#include <sys/ioctl.h>      /* ioctl: backing files on /dev/fuse */
#include <malloc.h>         /* mallopt, M_MMAP_THRESHOLD: libfuse's per-read buffers */
#include "fuse_kernel_passthrough.h" /* the kernel protocol's passthrough parts, beyond libfuse 3.14 */

#endif
