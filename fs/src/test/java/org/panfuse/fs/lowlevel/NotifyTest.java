package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;

/**
 * The kernel caches what the filesystem said for as long as it was told
 * (here a day, as --cache=always would); {@link KernelCache} makes a change
 * behind its back visible at once. Each case first shows the stale value
 * still served from the cache, then notifies, then sees the new value.
 */
class NotifyTest {
    private static final double DAY = 86400;
    private static final long ROOT = 1;
    private static final long FILE = 2;
    private static final long ALPHA = 3;
    private static final long BRAVO = 4;
    private static final long GONE = 5;
    private static final long STORED = 6;
    private static final long SECONDS = 20;

    /** One directory of files whose contents and names are changed from Java, cached for a day. */
    static final class ChangingFs implements LowLevelFileSystem {
        final Map<Long, byte[]> contents = new ConcurrentHashMap<>(Map.of(FILE, bytes("old"),
                ALPHA, bytes("alpha"), BRAVO, bytes("bravo"), GONE, bytes("soon gone"), STORED, bytes("aaaaaaaa")));
        final Map<String, Long> names = new ConcurrentHashMap<>(Map.of("file", FILE, "link", ALPHA,
                "gone", GONE, "stored", STORED));
        final AtomicInteger lookups = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
            lookups.incrementAndGet();
            Long ino = parent == ROOT ? names.get(name.reinterpret(1024).getString(0)) : null;
            if (ino == null) {
                reply.noEntry(DAY); // cached too
                return;
            }
            fill(reply.attr(), ino);
            reply.entry(ino, 0, DAY, DAY);
        }

        @Override
        public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
            fill(reply.attr(), ino);
            reply.attr(DAY);
        }

        @Override
        public void open(long ino, FileInfo fi, ReplyOpen reply) {
            fi.keepCache(true); // what was read stays in the page cache across opens
            reply.opened(fi);
        }

        @Override
        public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
            reads.incrementAndGet();
            byte[] c = contents.get(ino);
            int from = (int) Math.min(offset, c.length);
            int n = (int) Math.min(size, c.length - from);
            MemorySegment out = reply.buffer(Math.max(1, n));
            MemorySegment.copy(c, from, out, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, n);
            reply.data(out, n);
        }

        @Override
        public void release(long ino, FileInfo fi, ReplyEmpty reply) {
            reply.ok();
        }

        private void fill(MemorySegment attr, long ino) {
            stat.st_ino(attr, ino);
            if (ino == ROOT) {
                stat.st_mode(attr, S_IFDIR() | 0755);
                stat.st_nlink(attr, 2);
            } else {
                stat.st_mode(attr, S_IFREG() | 0644);
                stat.st_nlink(attr, 1);
                stat.st_size(attr, contents.get(ino).length);
            }
        }
    }

    private Path mnt;
    private ChangingFs fs;
    private FuseMount mount;
    private KernelCache cache;
    private final ExecutorService io = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r));

    @BeforeEach
    void mount() throws Exception {
        mnt = Files.createTempDirectory("panfuse-notify-");
        fs = new ChangingFs();
        mount = FuseMount.mount(fs, mnt, MountOptions.defaults());
        cache = mount.kernelCache();
    }

    @AfterEach
    void unmount() throws Exception {
        mount.close();
        io.shutdownNow();
        Files.deleteIfExists(mnt);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs file I/O on a thread of its own: a hang fails the test instead of blocking it. */
    private <T> T within(Callable<T> call) throws Exception {
        return io.submit(call).get(SECONDS, TimeUnit.SECONDS);
    }

    private String read(String name) throws Exception {
        return within(() -> Files.readString(mnt.resolve(name)));
    }

    private boolean exists(String name) throws Exception {
        return within(() -> Files.exists(mnt.resolve(name)));
    }

    @Test
    void changedContentIsSeenAfterTheInodeIsInvalidated() throws Exception {
        assertEquals("old", read("file"));
        int reads = fs.reads.get();
        fs.contents.put(FILE, bytes("new")); // same size: the cached attributes still fit
        assertEquals("old", read("file"), "served from the page cache");
        assertEquals(reads, fs.reads.get(), "no read reached the filesystem");

        assertTrue(cache.invalidateInode(FILE, 0, 0));
        assertEquals("new", read("file"));
        assertTrue(fs.reads.get() > reads);
    }

    @Test
    void changedSizeIsSeenAfterTheAttributesAreInvalidated() throws Exception {
        assertEquals(3, within(() -> Files.size(mnt.resolve("file"))));
        fs.contents.put(FILE, bytes("grown bigger"));
        assertEquals(3, within(() -> Files.size(mnt.resolve("file"))), "the cached size");

        assertTrue(cache.invalidateAttributes(FILE));
        assertEquals(12, within(() -> Files.size(mnt.resolve("file"))));
    }

    @Test
    void aNameLeadingElsewhereIsSeenAfterTheEntryIsInvalidated() throws Exception {
        assertEquals("alpha", read("link"));
        fs.names.put("link", BRAVO);
        assertEquals("alpha", read("link"), "the cached entry still leads to the old inode");

        assertTrue(cache.invalidateEntry(ROOT, "link"));
        assertEquals("bravo", read("link"));
    }

    @Test
    void aNameThatAppearedIsSeenAfterItsNegativeEntryIsInvalidated() throws Exception {
        assertFalse(exists("appeared"));
        int lookups = fs.lookups.get();
        fs.names.put("appeared", ALPHA);
        assertFalse(exists("appeared"), "the cached negative entry");
        assertEquals(lookups, fs.lookups.get(), "no lookup reached the filesystem");

        assertTrue(cache.invalidateEntry(ROOT, bytes("appeared")));
        assertTrue(exists("appeared"));
    }

    @Test
    void aDeletedNameDisappearsFromTheDentryCache() throws Exception {
        assertTrue(exists("gone"));
        int lookups = fs.lookups.get();
        fs.names.remove("gone");
        assertTrue(exists("gone"), "the cached entry");
        assertEquals(lookups, fs.lookups.get(), "no lookup reached the filesystem");

        assertTrue(cache.deleted(ROOT, GONE, "gone"));
        assertFalse(exists("gone"));
    }

    @Test
    void storedBytesAreReadFromThePageCache() throws Exception {
        assertEquals("aaaaaaaa", read("stored"));
        int reads = fs.reads.get();

        assertTrue(cache.store(STORED, 0, bytes("bbbb")));
        assertTrue(cache.store(STORED, 4, MemorySegment.ofArray(bytes("cc")))); // a heap segment, copied
        assertEquals("bbbbccaa", read("stored"), "the page cache carries the stored bytes");
        assertEquals(reads, fs.reads.get(), "no read reached the filesystem");
        assertEquals("aaaaaaaa", new String(fs.contents.get(STORED), StandardCharsets.UTF_8));
    }

    @Test
    void nothingCachedIsNoError() throws Exception {
        assertFalse(cache.invalidateInode(12345, 0, 0));
        assertFalse(cache.invalidateAttributes(12345));
        assertFalse(cache.invalidateEntry(ROOT, "never-looked-up"));
        assertFalse(cache.deleted(ROOT, GONE, "never-looked-up"));
        assertFalse(cache.store(12345, 0, bytes("x")));
    }

    @Test
    void impossibleNamesAreRefusedAndKernelRefusalsThrow() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> cache.invalidateEntry(ROOT, ""));
        assertThrows(IllegalArgumentException.class, () -> cache.invalidateEntry(ROOT, "a/b"));
        assertThrows(IllegalArgumentException.class, () -> cache.deleted(ROOT, GONE, "a\0b"));
        // Longer than any FUSE name (1024, or PATH_MAX since Linux 6.14): the kernel refuses it.
        ErrnoException e = assertThrows(ErrnoException.class, () -> cache.invalidateEntry(ROOT, "n".repeat(5000)));
        assertEquals(ENAMETOOLONG(), e.errno());
        assertTrue(mount.isServing());
    }

    @Test
    void afterCloseEveryCallThrowsAClearException() {
        mount.close();
        List<Runnable> calls = List.of(() -> cache.invalidateInode(FILE, 0, 0), () -> cache.invalidateAttributes(FILE),
                () -> cache.invalidateEntry(ROOT, "file"), () -> cache.invalidateEntry(ROOT, bytes("file")),
                () -> cache.deleted(ROOT, GONE, "gone"), () -> cache.store(STORED, 0, bytes("x")));
        for (Runnable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertTrue(e.getMessage().contains("closed") && e.getMessage().contains(mnt.toString()), e.getMessage());
        }
    }

    /** Notifications from several threads while the mount closes: each is sent or refused, none crashes. */
    @Test
    void notificationsRacingCloseEndCleanly() throws Exception {
        assertEquals("old", read("file"));
        AtomicInteger sent = new AtomicInteger();
        List<Future<Throwable>> notifiers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int which = i;
            notifiers.add(io.submit(() -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
                try {
                    while (System.nanoTime() < until) {
                        switch (which) {
                            case 0 -> cache.invalidateInode(FILE, 0, 0);
                            case 1 -> cache.invalidateEntry(ROOT, "link");
                            default -> cache.store(STORED, 0, bytes("s"));
                        }
                        sent.incrementAndGet();
                    }
                    return new AssertionError("still sending after " + SECONDS + " s");
                } catch (Throwable t) {
                    return t;
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (sent.get() < 300 && notifiers.stream().noneMatch(Future::isDone) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        mount.close();
        for (Future<Throwable> f : notifiers) {
            Throwable t = f.get(SECONDS, TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        }
    }
}
