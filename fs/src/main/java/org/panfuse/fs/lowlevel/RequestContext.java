package org.panfuse.fs.lowlevel;

/** The caller of a request, read lazily from libfuse's {@code fuse_ctx}. */
public interface RequestContext {
    int uid();

    int gid();

    int pid();

    int umask();

    /** True if the kernel has since asked to interrupt this request. */
    boolean interrupted();
}
