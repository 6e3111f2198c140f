/*
 * Prints, as key=value lines, what the C compiler knows about the ABI that
 * the generated bindings describe. BindingsAbiTest compiles it against the
 * same wrapper header jextract read and compares every line with the Java side.
 */
#include "panfuse.h"
#include <stddef.h>
#include <stdio.h>

#define SIZE(t) printf("sizeof.%s=%zu\n", #t, sizeof(struct t))
#define OFFSET(t, f) printf("offsetof.%s.%s=%zu\n", #t, #f, offsetof(struct t, f))
#define CONST(c) printf("const.%s=%lld\n", #c, (long long) (c))

int main(void) {
    printf("fuse_pkgversion=%s\n", fuse_pkgversion());
    SIZE(stat); OFFSET(stat, st_ino); OFFSET(stat, st_mode); OFFSET(stat, st_size); OFFSET(stat, st_mtim);
    SIZE(statvfs); SIZE(timespec); SIZE(flock); SIZE(dirent); SIZE(file_handle);
    SIZE(fuse_lowlevel_ops); OFFSET(fuse_lowlevel_ops, lookup); OFFSET(fuse_lowlevel_ops, write_buf);
    OFFSET(fuse_lowlevel_ops, lseek);
    SIZE(fuse_file_info); OFFSET(fuse_file_info, fh); SIZE(fuse_entry_param); OFFSET(fuse_entry_param, attr);
    SIZE(fuse_conn_info); SIZE(fuse_buf); SIZE(fuse_bufvec); SIZE(fuse_ctx);
    CONST(EIO); CONST(ENOSYS); CONST(O_PATH); CONST(O_NOFOLLOW); CONST(AT_EMPTY_PATH); CONST(AT_FDCWD);
    CONST(S_IFMT); CONST(UTIME_OMIT); CONST(RENAME_EXCHANGE); CONST(SEEK_HOLE);
    CONST(FALLOC_FL_PUNCH_HOLE); CONST(XATTR_REPLACE); CONST(MAX_HANDLE_SZ); CONST(FUSE_CAP_SPLICE_READ);
    CONST(FUSE_SET_ATTR_MTIME_NOW); CONST(FUSE_BUF_IS_FD); CONST(FUSE_BUF_SPLICE_MOVE);
    return 0;
}
