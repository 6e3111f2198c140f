package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;

/**
 * Whatever an embedder does wrong with a reply, the kernel gets exactly one
 * answer (an error when nothing valid was sent) and no reader hangs; deferred
 * replies are answered from other threads, and one dropped unanswered is
 * answered EIO. Each case is a file whose read misbehaves in the way its name says.
 */
class ReplyMisuseTest {
    private static final long SIZE = 1 << 20;
    private static final MemorySegment ZEROS = Arena.global().allocate(SIZE);
    private static final Map<String, Long> FILES = Map.of("heap", 10L, "oversize", 11L, "twice", 12L,
            "throw-after-failed-reply", 13L, "deferred", 14L, "dropped", 15L, "error-zero", 16L, "slow", 17L);

    static final class MisusingFs implements LowLevelFileSystem {
        final ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
        final AtomicInteger slowPending = new AtomicInteger();
        final AtomicInteger slowPendingMax = new AtomicInteger();

        @Override
        public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
            Long ino = FILES.get(name.reinterpret(256).getString(0));
            if (ino == null) {
                throw ErrnoException.of(ENOENT());
            }
            fill(reply.attr(), ino, S_IFREG() | 0644, SIZE);
            reply.entry(ino, 0, 0, 0);
        }

        @Override
        public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
            if (ino == FUSE_ROOT_ID()) {
                fill(reply.attr(), ino, S_IFDIR() | 0755, 0);
            } else {
                fill(reply.attr(), ino, S_IFREG() | 0644, SIZE);
            }
            reply.attr(0);
        }

        @Override
        public void open(long ino, FileInfo fi, ReplyOpen reply) {
            fi.directIo(true); // every read() reaches read() below
            reply.opened(fi);
        }

        @Override
        public void release(long ino, FileInfo fi, ReplyEmpty reply) {
            reply.ok();
        }

        @Override
        public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
            switch ((int) ino) {
                case 10 -> reply.data(MemorySegment.ofArray(new byte[(int) size]), size);
                case 11 -> reply.data(ZEROS.asSlice(0, 10), 100);
                case 12 -> {
                    reply.data(ZEROS, 5);
                    reply.error(EIO());
                }
                case 13 -> {
                    try {
                        reply.data(MemorySegment.ofArray(new byte[8]), 8);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("the embedder gives up", e);
                    }
                }
                case 14 -> {
                    ReplyData deferred = reply.defer();
                    later.schedule(() -> deferred.data(ZEROS, 7), 100, TimeUnit.MILLISECONDS);
                }
                case 15 -> reply.defer(); // and forgotten
                case 16 -> reply.error(0);
                case 17 -> {
                    ReplyData deferred = reply.defer();
                    slowPendingMax.accumulateAndGet(slowPending.incrementAndGet(), Math::max);
                    later.schedule(() -> {
                        slowPending.decrementAndGet();
                        deferred.data(ZEROS, 1);
                    }, 500, TimeUnit.MILLISECONDS);
                }
                default -> throw ErrnoException.of(EIO());
            }
        }

        private static void fill(MemorySegment attr, long ino, int mode, long size) {
            stat.st_ino(attr, ino);
            stat.st_mode(attr, mode);
            stat.st_nlink(attr, 1);
            stat.st_size(attr, size);
        }
    }

    /** What one read(2) of 16 bytes says: the byte count, or the exception. */
    private static String read(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            return "read " + ch.read(ByteBuffer.allocate(16));
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** Runs {@code read} on its own thread: a hang fails the test instead of blocking it. */
    private static String readWithin(Path file, long seconds) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
        try {
            return one.submit(() -> read(file)).get(seconds, TimeUnit.SECONDS);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void everyMisuseIsAnsweredOnceAndNothingHangs() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-misuse-");
        MisusingFs fs = new MisusingFs();
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
            assertEquals("Input/output error", readWithin(mnt.resolve("heap"), 10), "heap segment");
            assertEquals("Input/output error", readWithin(mnt.resolve("oversize"), 10), "size beyond the segment");
            assertEquals("read 5", readWithin(mnt.resolve("twice"), 10), "the first answer counts");
            assertEquals("Input/output error", readWithin(mnt.resolve("throw-after-failed-reply"), 10));
            assertEquals("Input/output error", readWithin(mnt.resolve("error-zero"), 10), "error(0) is no answer");
            assertEquals("read 7", readWithin(mnt.resolve("deferred"), 10), "answered later from another thread");
            assertTrue(mount.isServing());
        } finally {
            fs.later.shutdownNow();
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void aDeferredReplyDroppedUnansweredIsAnsweredEio() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-misuse-");
        MisusingFs fs = new MisusingFs();
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
            ExecutorService one = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));
            Future<String> reader = one.submit(() -> read(mnt.resolve("dropped")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!reader.isDone() && System.nanoTime() < deadline) {
                System.gc(); // the cleaner answers once the reply is unreachable
                Thread.sleep(50);
            }
            assertEquals("Input/output error", reader.get(1, TimeUnit.SECONDS));
            one.shutdownNow();
            // Counted answered just after the answer is written, which the reader may see first.
            for (long until = System.nanoTime() + 5_000_000_000L; mount.pendingDeferredReplies() != 0
                    && System.nanoTime() < until; ) {
                Thread.sleep(10);
            }
            assertEquals(0, mount.pendingDeferredReplies());
        } finally {
            fs.later.shutdownNow();
            Files.deleteIfExists(mnt);
        }
    }

    /** 1,000 slow requests at once on 10 workers: deferred, they wait together, not ten at a time. */
    @Test
    void aThousandSlowRequestsDoNotHoldTheWorkers() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-misuse-");
        MisusingFs fs = new MisusingFs();
        int requests = 1000;
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults().withThreads(10))) {
            long t0 = System.nanoTime();
            List<Thread> readers = new ArrayList<>();
            List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < requests; i++) {
                readers.add(Thread.ofPlatform().stackSize(256 * 1024).start(() -> results.add(read(mnt.resolve("slow")))));
            }
            for (Thread t : readers) {
                t.join(60_000);
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertEquals(requests, results.size());
            assertTrue(results.stream().allMatch("read 1"::equals), results.stream().distinct().toList().toString());
            // Ten at a time, 500 ms each, would take 50 s.
            assertTrue(seconds < 25, "took " + seconds + " s");
            assertTrue(fs.slowPendingMax.get() > 100, "at most " + fs.slowPendingMax.get() + " waited at once");
            // A deferred reply counts as answered just after its answer is written, which a reader may see first.
            for (long deadline = System.nanoTime() + 5_000_000_000L; mount.pendingDeferredReplies() != 0
                    && System.nanoTime() < deadline; ) {
                Thread.sleep(10);
            }
            assertEquals(0, mount.pendingDeferredReplies());
        } finally {
            fs.later.shutdownNow();
            Files.deleteIfExists(mnt);
        }
    }
}
