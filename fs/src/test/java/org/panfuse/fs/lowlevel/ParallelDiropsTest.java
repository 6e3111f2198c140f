package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panfuse.bindings.panfuse_h;

/**
 * Lookups in one directory reach the filesystem in parallel: libfuse 3.14
 * never asks the kernel for FUSE_PARALLEL_DIROPS, so without panfuse's INIT
 * amendment the kernel takes a per-directory mutex around each. A filesystem
 * that turns the capability off gets them one at a time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelDiropsTest {

    /** Every name exists; each lookup answers 300 ms later, from another thread. */
    static final class SlowLookups implements LowLevelFileSystem {
        final boolean parallel;
        final ScheduledExecutorService later = Executors.newScheduledThreadPool(1);
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final AtomicLong inode = new AtomicLong(2);

        SlowLookups(boolean parallel) {
            this.parallel = parallel;
        }

        @Override
        public void init(ConnectionInfo conn) {
            if (!parallel) {
                conn.want(panfuse_h.FUSE_CAP_PARALLEL_DIROPS(), false);
            }
        }

        @Override
        public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            ReplyEntry deferred = reply.defer();
            long ino = inode.getAndIncrement();
            later.schedule(() -> {
                inFlight.decrementAndGet();
                deferred.entry(FileAttributes.builder(FileType.REGULAR).ino(ino).permissions(0444).build(), 0, 0);
            }, 300, TimeUnit.MILLISECONDS);
        }

        @Override
        public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
            reply.attr(FileAttributes.builder(ino == 1 ? FileType.DIRECTORY : FileType.REGULAR).ino(ino)
                    .permissions(0555).build(), 0);
        }

        @Override
        public void forget(long ino, long nlookup) {
        }
    }

    private static int mostLookupsAtOnce(boolean parallel) throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-dirops-");
        SlowLookups fs = new SlowLookups(parallel);
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
            List<Thread> threads = new ArrayList<>();
            AtomicInteger found = new AtomicInteger();
            for (int i = 0; i < 20; i++) {
                Path p = mnt.resolve("name-" + i);
                threads.add(Thread.ofPlatform().start(() -> {
                    if (Files.exists(p)) {
                        found.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(20, found.get());
            return fs.mostInFlight.get();
        } finally {
            fs.later.shutdownNow();
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void lookupsInOneDirectoryRunInParallel() throws Exception {
        int most = mostLookupsAtOnce(true);
        assertTrue(most >= 10, "at most " + most + " lookups at once");
    }

    @Test
    void aFilesystemThatTurnsItOffGetsThemOneAtATime() throws Exception {
        assertEquals(1, mostLookupsAtOnce(false));
    }
}
