package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.Errno;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.posix.Libc;

/**
 * The dispatcher's promises, through a real mount of a filesystem that
 * misbehaves on purpose: exceptions become errnos, a missing answer becomes
 * EIO, the mount keeps serving, unimplemented operations answer ENOSYS.
 */
class DispatcherContractTest {

    /** A root directory whose lookups fail in the ways their names say. */
    static final class MisbehavingFs implements LowLevelFileSystem {
        final AtomicInteger lookups = new AtomicInteger();
        /** open() of "hang" (inode 3) waits for this. */
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void open(long ino, FileInfo fi, ReplyOpen reply) {
            if (ino == 3) {
                try {
                    release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reply.opened(fi);
        }

        @Override
        public void release(long ino, FileInfo fi, ReplyEmpty reply) {
            reply.ok();
        }

        @Override
        public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
            lookups.incrementAndGet();
            String n = name.reinterpret(256).getString(0);
            switch (n) {
                case "boom" -> throw new IllegalStateException("handler bug, on purpose");
                case "denied" -> throw ErrnoException.of(EACCES());
                case "silent" -> { }
                case "twice" -> {
                    reply.error(ENOENT());
                    reply.error(EIO());
                }
                case "ok" -> {
                    fill(reply.attr(), S_IFREG() | 0644, 1);
                    reply.entry(2, 0, 0, 0);
                }
                case "hang" -> {
                    fill(reply.attr(), S_IFREG() | 0644, 1);
                    reply.entry(3, 0, 0, 0);
                }
                default -> reply.error(ENOENT());
            }
        }

        @Override
        public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
            if (ino == FUSE_ROOT_ID()) {
                fill(reply.attr(), S_IFDIR() | 0755, 2);
            } else {
                fill(reply.attr(), S_IFREG() | 0644, 1);
            }
            reply.attr(0);
        }

        private static void fill(MemorySegment attr, int mode, int nlink) {
            attr.fill((byte) 0);
            stat.st_mode(attr, mode);
            stat.st_nlink(attr, nlink);
        }
    }

    private static String statErrno(Path p) {
        try (Arena a = Arena.ofConfined()) {
            Libc.fstatat(AT_FDCWD(), a.allocateFrom(p.toString()), stat.allocate(a), 0);
            return "ok";
        } catch (ErrnoException e) {
            return Errno.name(e.errno());
        }
    }

    @Test
    void failuresAreAnsweredAndTheMountKeepsServing() throws IOException {
        Path mnt = Files.createTempDirectory("panfuse-contract-");
        MisbehavingFs fs = new MisbehavingFs();
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
            assertEquals("EIO", statErrno(mnt.resolve("boom")), "an unexpected exception answers EIO");
            assertEquals("ok", statErrno(mnt.resolve("ok")), "and the next request is served");
            assertEquals("EACCES", statErrno(mnt.resolve("denied")), "an errno exception answers its errno");
            assertEquals("EIO", statErrno(mnt.resolve("silent")), "no answer becomes EIO");
            assertEquals("ENOENT", statErrno(mnt.resolve("twice")), "the first answer counts");
            assertEquals("ok", statErrno(mnt.resolve("ok")));
            assertEquals("ENOSYS", mkdirErrno(mnt.resolve("new")), "unimplemented operations are ENOSYS");
            assertTrue(mount.operations().contains("lookup"));
            assertFalse(mount.operations().contains("mkdir"), "mkdir is left NULL: " + mount.operations());
            assertTrue(mount.isServing());
        } finally {
            Files.deleteIfExists(mnt);
        }
        assertTrue(fs.lookups.get() >= 6);
    }

    private static String mkdirErrno(Path p) {
        try (Arena a = Arena.ofConfined()) {
            Libc.mkdirat(AT_FDCWD(), a.allocateFrom(p.toString()), 0755);
            return "ok";
        } catch (ErrnoException e) {
            return Errno.name(e.errno());
        }
    }

    /** One worker stuck in the filesystem does not stop the others. */
    @Test
    void aHangingHandlerDoesNotStopTheOtherThreads() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-contract-");
        MisbehavingFs fs = new MisbehavingFs();
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
            Thread stuck = Thread.ofPlatform().start(() -> {
                try {
                    Files.newInputStream(mnt.resolve("hang")).close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(200); // let it reach the filesystem
            assertTrue(stuck.isAlive(), "open of 'hang' is stuck in the handler");
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertEquals("ok", statErrno(mnt.resolve("ok")));
                assertEquals("EIO", statErrno(mnt.resolve("boom")));
            }
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "others served while one worker hangs");
            fs.release.countDown();
            stuck.join(10_000);
            assertFalse(stuck.isAlive());
        } finally {
            fs.release.countDown();
            Files.deleteIfExists(mnt);
        }
    }

    /** A file still open on the mount keeps a lazy unmount alive; close() aborts the connection instead of hanging. */
    @Test
    void closeEndsTheSessionEvenWhileAFileIsOpen() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-contract-");
        MisbehavingFs fs = new MisbehavingFs();
        FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults());
        fs.release.countDown();
        java.io.InputStream held = Files.newInputStream(mnt.resolve("hang"));
        try {
            long t0 = System.nanoTime();
            mount.close();
            assertFalse(mount.isServing(), "the request loop ended");
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "close did not wait out the open file");
        } finally {
            try {
                held.close();
            } catch (IOException aborted) {
                // the connection is gone: closing may fail, as on any aborted FUSE mount
            }
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void unmountedFromOutsideEndsTheLoop() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-contract-");
        try (FuseMount mount = FuseMount.mount(new MisbehavingFs(), mnt, MountOptions.defaults())) {
            assertTrue(mount.isServing());
            Process p = new ProcessBuilder("fusermount3", "-u", mnt.toString()).inheritIO().start();
            assertEquals(0, p.waitFor());
            mount.awaitUnmount();
            assertFalse(mount.isServing());
        } finally {
            Files.deleteIfExists(mnt);
        }
    }
}
