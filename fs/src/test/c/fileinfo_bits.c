/*
 * Prints, for each one-bit flag of struct fuse_file_info, the mask it sets
 * in the 32-bit word that follows 'flags'. jextract cannot describe
 * bitfields, so FileInfo carries these masks by hand; FileInfoBitsTest
 * compares them with what the C compiler does.
 */
#include "panfuse.h"
#include <stdio.h>
#include <string.h>

#define BIT(f) do { struct fuse_file_info fi; unsigned int w; \
        memset(&fi, 0, sizeof fi); fi.f = 1; \
        memcpy(&w, (char *) &fi + sizeof fi.flags, sizeof w); \
        printf(#f "=%u\n", w); } while (0)

int main(void) {
    BIT(writepage); BIT(direct_io); BIT(keep_cache); BIT(flush);
    BIT(nonseekable); BIT(flock_release); BIT(cache_readdir); BIT(noflush);
    return 0;
}
