package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.panfuse.bindings.stat;

/** The threads that run a filesystem's operations say what they are, and for which mount. */
class ThreadNamesTest {

    /** Records the name of each thread its getattr runs on. */
    static final class NamingFs implements LowLevelFileSystem {
        final Set<String> names = ConcurrentHashMap.newKeySet();

        @Override
        public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
            names.add(Thread.currentThread().getName());
            stat.st_ino(reply.attr(), ino);
            stat.st_mode(reply.attr(), S_IFDIR() | 0755);
            stat.st_nlink(reply.attr(), 2);
            reply.attr(0); // not cached: every stat reaches the filesystem
        }
    }

    /** The names of the threads that served {@code stats} stats of the root, four at a time. */
    private static Set<String> namesSeen(Path mnt, MountOptions options, int stats) throws Exception {
        NamingFs fs = new NamingFs();
        ExecutorService io = Executors.newFixedThreadPool(4, r -> Thread.ofPlatform().daemon().unstarted(r));
        try (FuseMount mount = FuseMount.mount(fs, mnt, options)) {
            for (int i = 0; i < stats; i++) {
                io.submit(() -> Files.getLastModifiedTime(mnt));
            }
            io.shutdown();
            assertTrue(io.awaitTermination(30, TimeUnit.SECONDS));
            return Set.copyOf(fs.names);
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void workersAreNamedForTheirMount() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-names-");
        try {
            Set<String> names = namesSeen(mnt, MountOptions.defaults().withThreads(4), 200);
            assertFalse(names.isEmpty());
            Pattern worker = Pattern.compile("panfuse-worker-\\d+ " + Pattern.quote(mnt.toString()));
            assertTrue(names.stream().allMatch(n -> worker.matcher(n).matches()), names.toString());
        } finally {
            Files.delete(mnt);
        }
    }

    @Test
    void theSingleThreadedLoopServesOnItsOwnThread() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-names-");
        try {
            assertEquals(Set.of("panfuse-loop " + mnt), namesSeen(mnt, MountOptions.defaults().withThreads(0), 10));
        } finally {
            Files.delete(mnt);
        }
    }
}
