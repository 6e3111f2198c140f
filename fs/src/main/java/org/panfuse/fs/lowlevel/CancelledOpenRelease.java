package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

/**
 * The release a filesystem gets for an open (or create) whose answer found
 * no caller any more (interrupted while waiting): the kernel will never send
 * RELEASE for it, so the filesystem's handle would leak. There is no request
 * to answer: ok and error go nowhere. Its caller is the server itself.
 */
final class CancelledOpenRelease implements ReplyEmpty, RequestContext {
    @Override
    public void ok() {
    }

    @Override
    public void error(int errno) {
    }

    @Override
    public RequestContext context() {
        return this;
    }

    @Override
    public ReplyEmpty defer() {
        return this;
    }

    @Override
    public int uid() {
        return geteuid();
    }

    @Override
    public int gid() {
        return getegid();
    }

    @Override
    public int pid() {
        return 0;
    }

    @Override
    public int umask() {
        return 0;
    }

    @Override
    public boolean interrupted() {
        return true;
    }
}
