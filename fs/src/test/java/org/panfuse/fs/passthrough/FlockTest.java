package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * A blocking flock waits without holding one of libfuse's worker threads: with
 * three times as many waiters as workers, the holder's unlock and every other
 * request are still served, and a waiter interrupted by a signal gets EINTR,
 * as on the bare directory.
 */
class FlockTest {
    private static final int WORKERS = 10;

    private static Process start(String script) throws Exception {
        return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    }

    /** Starts a holder of an exclusive flock on {@code file} for {@code seconds}; returns once it holds it. */
    private static Process holdLock(Path file, Path marker, int seconds) throws Exception {
        Process holder = start("exec flock -x " + file + " sh -c 'touch " + marker + "; sleep " + seconds + "'");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(marker) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(marker), "the holder got the lock");
        return holder;
    }

    @Test
    void threeTimesAsManyWaitersAsWorkersAreAllServed() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(),
                MountOptions.defaults().withThreads(WORKERS))) {
            Path lock = Files.writeString(m.mnt("lock"), "");
            Process holder = holdLock(lock, m.base.resolve("held"), 2);
            List<Process> waiters = new ArrayList<>();
            for (int i = 0; i < 3 * WORKERS; i++) {
                waiters.add(start("exec flock -x " + lock + " true"));
            }
            Thread.sleep(300); // all waiting now
            // Every worker would be stuck in flock(2) by now if waiting held them: the mount still answers.
            CompletableFuture<Long> listing = CompletableFuture.supplyAsync(() -> {
                try (var entries = Files.list(m.mountpoint)) {
                    return entries.count();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(1L, listing.get(10, TimeUnit.SECONDS));
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the holder's unlock was served");
            for (Process w : waiters) {
                assertTrue(w.waitFor(60, TimeUnit.SECONDS), "a waiter got the lock in turn");
                assertEquals(0, w.exitValue());
            }
            assertEquals(0, settledDeferredReplies(m.mount));
        }
    }

    /** perl's flock, with a handler for SIGALRM so the signal interrupts the call instead of ending the process. */
    private static final String INTERRUPTED_FLOCK = "use Fcntl qw(:flock); $SIG{ALRM} = sub {};"
            + " open(my $f, '<', $ARGV[0]) or die; alarm 1; my $ok = flock($f, LOCK_EX);"
            + " print $ok ? 'locked' : 'errno=' . ($! + 0);";

    @Test
    void aWaiterInterruptedByASignalGetsEintrAsOnTheBareDirectory() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(),
                MountOptions.defaults().withThreads(WORKERS))) {
            List<String> outcomes = new ArrayList<>();
            for (Path root : List.of(m.reference, m.mountpoint)) {
                Path lock = Files.writeString(root.resolve("lock"), "");
                Process holder = holdLock(lock, root.resolve("held-" + outcomes.size()), 3);
                Process waiter = new ProcessBuilder("perl", "-e", INTERRUPTED_FLOCK, lock.toString())
                        .redirectErrorStream(true).start();
                assertTrue(waiter.waitFor(10, TimeUnit.SECONDS), "the interrupted waiter returned");
                outcomes.add(new String(waiter.getInputStream().readAllBytes()));
                assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
                // Nothing is left waiting: the lock is free once the holder is gone.
                assertEquals(0, start("exec flock -n -x " + lock + " true").waitFor());
            }
            assertEquals("errno=4", outcomes.get(0), "bare: EINTR");
            assertEquals(outcomes.get(0), outcomes.get(1), "through the mount as on the bare file");
            assertEquals(0, settledDeferredReplies(m.mount));
        }
    }

    /** Parent and child share one open file and both wait for the lock: both get it, as on the bare file. */
    private static final String SHARED_WAITERS = "use Fcntl qw(:flock); open(my $f, '<', $ARGV[0]) or die;"
            + " my $pid = fork(); my $ok = flock($f, LOCK_EX); print(($pid ? 'parent ' : 'child ')"
            + " . ($ok ? 'locked' : 'errno=' . ($! + 0)) . \"\\n\"); if ($pid) { waitpid($pid, 0); }";

    @Test
    void waitersSharingAnOpenFileAreEachServed() throws Exception {
        try (MountedSource m = MountedSource.mount()) {
            List<String> outcomes = new ArrayList<>();
            for (Path root : List.of(m.reference, m.mountpoint)) {
                Path lock = Files.writeString(root.resolve("lock"), "");
                Process holder = holdLock(lock, root.resolve("held-" + outcomes.size()), 1);
                Process waiters = new ProcessBuilder("perl", "-e", SHARED_WAITERS, lock.toString())
                        .redirectErrorStream(true).start();
                assertTrue(waiters.waitFor(30, TimeUnit.SECONDS));
                outcomes.add(new String(waiters.getInputStream().readAllBytes()).lines().sorted().toList().toString());
                assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals("[child locked, parent locked]", outcomes.get(0));
            assertEquals(outcomes.get(0), outcomes.get(1));
        }
    }

    /** Unmounting while a flock waits: the waiter gets an error, the server stays up and touches nothing freed. */
    @Test
    void unmountingWithAWaiterAnswersItAndKeepsTheProcessAlive() throws Exception {
        MountedSource m = MountedSource.mount();
        try {
            Path lock = Files.writeString(m.mnt("lock"), "");
            Process holder = holdLock(lock, m.base.resolve("held"), 30);
            Process waiter = start("exec flock -x " + lock + " true");
            Thread.sleep(300);
            assertTrue(waiter.isAlive(), "waiting");
            m.mount.close();
            assertTrue(waiter.waitFor(20, TimeUnit.SECONDS), "the waiter was answered");
            assertTrue(waiter.exitValue() != 0);
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(200); // time for a waiter that touched freed memory to crash this JVM
        } finally {
            m.close();
        }
    }

    /**
     * The deferred replies still open once they settle: one counts as answered
     * just after its answer is written, which its waiter may see first.
     */
    static int settledDeferredReplies(org.panfuse.fs.lowlevel.FuseMount mount) throws InterruptedException {
        for (long deadline = System.nanoTime() + 5_000_000_000L; mount.pendingDeferredReplies() != 0
                && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        return mount.pendingDeferredReplies();
    }
}
