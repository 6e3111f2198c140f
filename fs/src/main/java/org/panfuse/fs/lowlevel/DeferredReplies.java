package org.panfuse.fs.lowlevel;

import java.lang.ref.Cleaner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one session whose answers were taken out of their call
 * ({@link Reply#defer()}) and are not answered yet. A deferred reply that
 * becomes unreachable unanswered is answered EIO by its cleaner, and at
 * unmount every one still open is answered EIO before the session goes: a
 * forgotten deferred reply never leaves a caller waiting forever.
 */
final class DeferredReplies {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredReplies.class);
    private static final Cleaner CLEANER = Cleaner.create(
            r -> Thread.ofPlatform().daemon().name("panfuse-deferred-cleaner").unstarted(r));

    private final Set<Answer> open = ConcurrentHashMap.newKeySet();

    /** Tracks {@code answer}, owned by {@code reply}, until it is answered. */
    void track(RequestReplies reply, Answer answer, String operation) {
        open.add(answer);
        CLEANER.register(reply, () -> {
            if (answer.failIfOpen()) {
                LOG.error("a deferred reply to {} was dropped without an answer; answered EIO", operation);
            }
            open.remove(answer);
        });
    }

    void answered(Answer answer) {
        open.remove(answer);
    }

    /** Deferred requests not answered yet. */
    int pending() {
        open.removeIf(a -> a.state() == Answer.ANSWERED);
        return open.size();
    }

    /** Answers EIO to every deferred request still open: the session is going away. */
    void failAll() {
        int failed = 0;
        for (Answer a : open) {
            if (a.failIfOpen()) {
                failed++;
            }
        }
        open.clear();
        if (failed > 0) {
            LOG.warn("{} deferred request(s) were still unanswered at unmount; answered EIO", failed);
        }
    }
}
