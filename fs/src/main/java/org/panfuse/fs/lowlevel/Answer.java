package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.EIO;
import static org.panfuse.bindings.panfuse_h.fuse_reply_err;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Whether one request has been answered: the single fact behind "every
 * request is answered exactly once". A reply claims the answer before its
 * native call and settles it after; if the call throws (an embedder's heap
 * segment, a closed arena) the claim is given back, so the dispatcher can
 * still answer EIO and nothing hangs.
 *
 * <p>Kept apart from the reply object so that a deferred reply that is
 * dropped unanswered can still be answered by its cleaner, which must not
 * reach the reply itself.
 */
final class Answer {
    static final int OPEN = 0;
    static final int SENDING = 1;
    static final int ANSWERED = 2;
    static final int DEFERRED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Answer.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    MemorySegment req = MemorySegment.NULL;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    /** Ready for a new request (the per-thread answer is reused). */
    void reset(MemorySegment request) {
        req = request;
        STATE.setRelease(this, OPEN);
    }

    int state() {
        return (int) STATE.getAcquire(this);
    }

    /** Takes the right to answer, or says why not. */
    void claim() {
        if (!STATE.compareAndSet(this, OPEN, SENDING)) {
            throw new IllegalStateException(switch (state()) {
                case ANSWERED -> "request already answered";
                case DEFERRED -> "request was deferred: answer it through the reply that defer() returned";
                default -> "request is being answered by another thread";
            });
        }
    }

    /** Takes the right to answer if nobody has: for the dispatcher's EIO and for cleaners. */
    boolean tryClaim() {
        return STATE.compareAndSet(this, OPEN, SENDING);
    }

    /** The native reply ran: libfuse has sent (or failed to send) and freed the request. */
    void settle() {
        STATE.setRelease(this, ANSWERED);
    }

    /** The native reply never ran: the request is still unanswered. */
    void giveBack() {
        STATE.setRelease(this, OPEN);
    }

    /** The operation handed its answer to a deferred reply. */
    void defer() {
        if (!STATE.compareAndSet(this, OPEN, DEFERRED)) {
            claim(); // throws with the reason
        }
    }

    /**
     * Answers EIO if nobody has answered yet; true if this call did. Waits out
     * a claim held only for a moment (a deferred reply asking whether it was
     * interrupted), so that an open request is never missed.
     */
    boolean failIfOpen() {
        while (!tryClaim()) {
            if (state() != SENDING) {
                return false;
            }
            Thread.onSpinWait();
        }
        fuse_reply_err(req, EIO());
        settle();
        return true;
    }
}
