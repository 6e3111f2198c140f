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

    /**
     * Takes the answer out of this call, to be given later from any thread:
     * for an operation that waits (a lock, a network, a slow device) without
     * holding one of libfuse's worker threads. The operation returns without
     * answering; the returned reply, of the same type, must then be answered
     * exactly once. It carries its own copy of the request's file info and
     * attributes. A deferred reply dropped unanswered is answered EIO when it is
     * garbage-collected, and at unmount every one still open is answered EIO.
     *
     * <p>Deferring allocates; the answer path does not.
     *
     * @throws IllegalStateException if the request was already answered or deferred
     */
    Reply defer();
}
