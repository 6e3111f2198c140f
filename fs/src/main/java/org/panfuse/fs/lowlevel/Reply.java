package org.panfuse.fs.lowlevel;

/**
 * The answer to one request. Each operation receives the reply type that
 * lists exactly what it may answer; every request is answered exactly once,
 * before the operation returns, or later through the reply that
 * {@link #defer()} returns.
 *
 * <p>Instead of calling {@link #error(int)} an operation may throw an
 * {@link org.panfuse.fs.errno.ErrnoException}; the dispatcher answers with its
 * errno. Any other exception is logged and answered with EIO.
 *
 * <p>The reply an operation receives belongs to the worker thread and serves
 * its next request once the operation returns: keep it only through
 * {@link #defer()}. Answering twice, or through the original after deferring,
 * throws {@link IllegalStateException}. An answer that reached no one (the
 * caller was interrupted and gave up) is not an error for the filesystem.
 */
public interface Reply {
    /**
     * Answers with an error.
     *
     * @param errno a positive errno value (from the bindings, e.g. {@code panfuse_h.ENOENT()})
     * @throws IllegalArgumentException if {@code errno} is 0 or negative (success is answered through the
     *                                  operation's own reply method)
     * @throws IllegalStateException    if the request was already answered or deferred
     */
    void error(int errno);

    /**
     * {@return who sent the request} On the reply an operation receives,
     * read it before answering: once the answer is given libfuse frees the
     * request, and with it what the context reads. A deferred reply keeps its
     * own copy, taken by {@link #defer()}.
     */
    RequestContext context();

    /**
     * Takes the answer out of this call, to be given later from any thread:
     * for an operation that waits (a lock, a network, a slow device) without
     * holding one of libfuse's worker threads. The operation returns without
     * answering; the returned reply, of the same type, must then be answered
     * exactly once. It carries its own copy of the request's file info and
     * of the reply's {@code struct stat}, but not the operation's arguments:
     * names, values and write data must be read before the operation returns.
     * A deferred reply dropped unanswered is answered EIO when it is
     * garbage-collected, and at unmount every one still open is answered EIO.
     * An exception the operation throws after deferring is logged and does
     * not answer: the deferred reply still must.
     *
     * <p>Deferring allocates; the answer path does not.
     *
     * @return the reply to answer with, usable from any thread
     * @throws IllegalStateException if the request was already answered or deferred
     */
    Reply defer();
}
