package org.panfuse.fs.passthrough;

import static org.panfuse.bindings.panfuse_h.EINTR;
import static org.panfuse.bindings.panfuse_h.EWOULDBLOCK;
import static org.panfuse.bindings.panfuse_h.LOCK_NB;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.ReplyEmpty;
import org.panfuse.fs.posix.Libc;

/**
 * Blocking flock requests that could not be granted at once. Each waits on a
 * virtual thread with its reply deferred, so no libfuse worker is held: the
 * holder's unlock, and everything else, is still served however many wait.
 * A waiter retries without blocking, backing off from 1 ms to 50 ms, and
 * answers EINTR once the kernel interrupts its request (the caller got a
 * signal) or its file is closed. Several waiters on one open file (a forked
 * process sharing it) each wait their turn.
 *
 * <p>Retrying is not a queue: a waiter may lose the lock to a process using
 * the source directly, which the kernel's own queue would have served later.
 */
final class FlockWaiters {
    private static final long FIRST_WAIT_NANOS = 1_000_000;
    private static final long LONGEST_WAIT_NANOS = 50_000_000;

    /** The waiters of each file descriptor: release must stop them before the descriptor is closed. */
    private final ConcurrentHashMap<Integer, List<Waiter>> waiting = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Waits for {@code operation} (LOCK_SH or LOCK_EX) on {@code fd}, then answers {@code reply}. */
    void await(int fd, int operation, ReplyEmpty reply) {
        Waiter w = new Waiter(fd, operation | LOCK_NB(), reply);
        waiting.computeIfAbsent(fd, k -> new CopyOnWriteArrayList<>()).add(w);
        if (closed) {
            w.cancel();
            return;
        }
        Thread.ofVirtual().name("panfuse-flock-" + fd).start(w::run);
    }

    /** Stops the waiters on {@code fd}, answering EINTR: the file is being closed. */
    void cancel(int fd) {
        List<Waiter> ws = waiting.remove(fd);
        if (ws != null) {
            ws.forEach(Waiter::cancel);
        }
    }

    /** Stops every waiter: the filesystem is going away (before its descriptors are closed). */
    void close() {
        closed = true;
        for (Integer fd : List.copyOf(waiting.keySet())) {
            cancel(fd);
        }
    }

    private final class Waiter {
        private final int fd;
        private final int operation;
        private final ReplyEmpty reply;
        private boolean done;

        Waiter(int fd, int operation, ReplyEmpty reply) {
            this.fd = fd;
            this.operation = operation;
            this.reply = reply;
        }

        void run() {
            long wait = FIRST_WAIT_NANOS;
            while (!attempt()) {
                LockSupport.parkNanos(wait);
                wait = Math.min(LONGEST_WAIT_NANOS, wait * 2);
            }
            List<Waiter> ws = waiting.get(fd);
            if (ws != null) {
                ws.remove(this);
            }
        }

        /** One try; true once answered. Synchronized with {@link #cancel()}: never a flock on a closed fd. */
        private synchronized boolean attempt() {
            if (done) {
                return true;
            }
            if (reply.context().interrupted()) {
                return finish(EINTR());
            }
            try {
                Libc.flock(fd, operation);
                return finish(0);
            } catch (ErrnoException e) {
                return e.errno() == EWOULDBLOCK() ? false : finish(e.errno());
            }
        }

        synchronized void cancel() {
            if (!done) {
                finish(EINTR());
            }
        }

        private boolean finish(int errno) {
            done = true;
            try {
                if (errno == 0) {
                    reply.ok();
                } else {
                    reply.error(errno);
                }
            } catch (IllegalStateException alreadyAnswered) {
                // answered EIO at unmount: nothing left to say
            }
            return true;
        }
    }
}
