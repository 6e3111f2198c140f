package org.panfuse.fs.lowlevel;

/**
 * The answer to one request. Each operation receives the reply type that
 * lists exactly what it may answer; every request is answered exactly once,
 * before the operation returns.
 *
 * <p>Instead of calling {@link #error(int)} an operation may throw an
 * {@link org.panfuse.fs.errno.ErrnoException}; the dispatcher answers with its
 * errno. Any other exception is logged and answered with EIO.
 */
public interface Reply {
    /** Answers with a positive errno value (from the bindings, e.g. {@code panfuse_h.ENOENT()}). */
    void error(int errno);

    /** Who sent the request. */
    RequestContext context();
}
