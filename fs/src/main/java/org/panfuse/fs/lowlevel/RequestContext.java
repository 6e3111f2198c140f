package org.panfuse.fs.lowlevel;

/**
 * The caller of a request, read lazily from libfuse's {@code fuse_ctx}; a
 * deferred reply keeps its own copy, taken when it was deferred, so it may
 * be read at any time, also after the answer.
 */
public interface RequestContext {
    /**
     * {@return the caller's filesystem user id (its fsuid), as the mount's
     * user namespace sees it} 0 for a request the kernel sends on no
     * process's behalf (a release, a write-back of cached pages); the
     * server's own effective uid for the release the library makes itself
     * for an open whose answer reached no caller.
     */
    int uid();

    /**
     * {@return the caller's filesystem group id (its fsgid), as the mount's
     * user namespace sees it} 0, or the server's own, where {@link #uid()} is.
     */
    int gid();

    /**
     * {@return the id of the calling thread, as the mount's pid namespace
     * sees it} 0 where the caller is outside that namespace, for a request the
     * kernel sends on no process's behalf, and for the release the library
     * makes itself for an open whose answer reached no caller.
     */
    int pid();

    /**
     * {@return the caller's umask, sent with mknod, mkdir and create (0 for
     * other operations)} The kernel has applied it to the {@code mode}
     * already, unless the filesystem asked for FUSE_CAP_DONT_MASK in
     * {@link LowLevelFileSystem#init}.
     */
    int umask();

    /**
     * {@return true if the kernel has since asked to interrupt this request}
     * The caller got a signal: an operation that waits long may then give up
     * and answer EINTR. For a deferred reply already answered, true.
     */
    boolean interrupted();
}
