package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panfuse.bindings.panfuse_h;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;

/**
 * A filesystem that answers with the typed API only (FileAttributes, String
 * names, FsStats, SetAttributes, byte[] data), seen through a real mount: what
 * stat, readdir, readlink, read, statfs and setattr show is exactly what it
 * answered, with nothing left over from an earlier request's raw answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TypedRepliesTest {
    private static final Instant MTIME = Instant.parse("2001-02-03T04:05:06.789012345Z");
    private static final Instant ATIME = Instant.parse("2002-03-04T05:06:07.5Z");
    private static final byte[] HELLO = "hello, world\n".getBytes(StandardCharsets.UTF_8);
    private static final String UNICODE = "ünïcødé-名前";

    static class TypedFs implements LowLevelFileSystem {
        volatile int helloPermissions = 0640;
        volatile long helloSize = HELLO.length;
        volatile Instant helloModified = MTIME;
        final List<SetAttributes> changes = new CopyOnWriteArrayList<>();

        FileAttributes attributes(long ino) {
            return switch ((int) ino) {
                case 1 -> FileAttributes.builder(FileType.DIRECTORY).ino(1).permissions(0755).times(MTIME).build();
                case 2 -> FileAttributes.builder(FileType.REGULAR).ino(2).permissions(helloPermissions)
                        .size(helloSize).uid(1234).gid(5678).links(1).accessed(ATIME).modified(helloModified)
                        .changed(MTIME).build();
                case 3 -> FileAttributes.builder(FileType.SYMLINK).ino(3).permissions(0777).size(5).build();
                case 4 -> FileAttributes.builder(FileType.CHARACTER_DEVICE).ino(4).permissions(0600)
                        .rdev(0x0103).build();
                case 5 -> FileAttributes.builder(FileType.REGULAR).ino(5).permissions(0444).build();
                default -> throw ErrnoException.of(panfuse_h.ENOENT());
            };
        }

        static final Map<String, Long> NAMES = Map.of("hello", 2L, "link", 3L, "null", 4L, UNICODE, 5L);

        /** Fields the typed answers leave at zero, filled in place. */
        private static void fillRaw(MemorySegment a) {
            stat.st_ino(a, 9);
            stat.st_mode(a, panfuse_h.S_IFCHR() | 0600); // the kernel keeps rdev for devices only
            stat.st_nlink(a, 7);
            stat.st_rdev(a, 0x7777);
            stat.st_blocks(a, 99);
        }

        @Override
        public void lookup(long parent, MemorySegment name, ReplyEntry reply) {
            String n = Names.string(name);
            if (n.equals("raw")) {
                // A raw answer that fills fields the typed ones leave at zero, on whatever worker runs it.
                fillRaw(reply.attr());
                reply.entry(9, 0, 0, 0);
                return;
            }
            Long ino = parent == 1 ? NAMES.get(n) : null;
            if (ino == null) {
                reply.noEntry(0);
                return;
            }
            reply.entry(attributes(ino), 0, 0);
        }

        @Override
        public void getattr(long ino, FileInfo fi, ReplyAttr reply) {
            if (ino == 9) {
                fillRaw(reply.attr());
                reply.attr(0);
                return;
            }
            reply.attr(attributes(ino), 0);
        }

        @Override
        public void setattr(long ino, MemorySegment attr, int toSet, FileInfo fi, ReplyAttr reply) {
            SetAttributes c = SetAttributes.of(attr, toSet);
            changes.add(c);
            if (ino != 2) {
                throw ErrnoException.of(panfuse_h.EPERM());
            }
            c.permissions().ifPresent(p -> helloPermissions = p);
            c.size().ifPresent(s -> helloSize = s);
            c.modified().ifPresent(t -> helloModified = t);
            reply.attr(attributes(ino), 0);
        }

        @Override
        public void readlink(long ino, ReplyReadlink reply) {
            reply.target("hello");
        }

        @Override
        public void open(long ino, FileInfo fi, ReplyOpen reply) {
            reply.opened(fi);
        }

        @Override
        public void read(long ino, long size, long offset, FileInfo fi, ReplyData reply) {
            int from = (int) Math.min(offset, HELLO.length);
            reply.data(HELLO, from, (int) Math.min(size, HELLO.length - from));
        }

        @Override
        public void release(long ino, FileInfo fi, ReplyEmpty reply) {
            reply.ok();
        }

        @Override
        public void opendir(long ino, FileInfo fi, ReplyOpen reply) {
            reply.opened(fi);
        }

        static final List<String> LISTING = List.of(".", "..", "hello", "link", "null", UNICODE);

        @Override
        public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
            for (int i = (int) offset; i < LISTING.size(); i++) {
                String n = LISTING.get(i);
                long child = i < 2 ? 1 : NAMES.get(n);
                if (!reply.add(n, child, i < 2 ? FileType.DIRECTORY : attributes(child).type(), i + 1)) {
                    break;
                }
            }
            reply.done();
        }

        @Override
        public void releasedir(long ino, FileInfo fi, ReplyEmpty reply) {
            reply.ok();
        }

        @Override
        public void statfs(long ino, ReplyStatfs reply) {
            reply.statfs(new FsStats(4096, 1024, 1000, 500, 400, 100, 50, 40, 255));
        }

        @Override
        public void forget(long ino, long nlookup) {
        }
    }

    /** The same, listing later from another thread: the deferred reply keeps what was added and adds the rest. */
    static final class DeferredListingFs extends TypedFs {
        final java.util.concurrent.ExecutorService later = java.util.concurrent.Executors.newSingleThreadExecutor();
        volatile int deferredUid = -1;

        @Override
        public void readdir(long ino, long size, long offset, FileInfo fi, ReplyDirectory reply) {
            int from = (int) offset;
            if (from == 0 && !reply.add(".", 1, FileType.DIRECTORY, ++from)) {
                reply.done();
                return;
            }
            ReplyDirectory deferred = reply.defer();
            int start = from;
            later.execute(() -> {
                deferredUid = deferred.context().uid();
                for (int i = start; i < LISTING.size(); i++) {
                    String n = LISTING.get(i);
                    long child = i < 2 ? 1 : NAMES.get(n);
                    if (!deferred.add(n, child, i < 2 ? FileType.DIRECTORY : attributes(child).type(), i + 1)) {
                        break;
                    }
                }
                deferred.done();
            });
        }
    }

    @Test
    void aDeferredListingKeepsWhatWasAddedAndAddsTheRest() throws Exception {
        DeferredListingFs fs = new DeferredListingFs();
        try {
            withMount(fs, mnt -> {
                try (Stream<Path> s = Files.list(mnt)) {
                    assertEquals(Set.of("hello", "link", "null", UNICODE),
                            s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
                }
                assertEquals(0, fs.deferredUid, "who asked, read after the worker let the request go");
            });
        } finally {
            fs.later.shutdownNow();
        }
    }

    /** The same, listing with readdirplus: every entry carries its typed attributes. */
    static final class TypedPlusFs extends TypedFs {
        @Override
        public void readdirplus(long ino, long size, long offset, FileInfo fi, ReplyDirectoryPlus reply) {
            for (int i = (int) offset; i < LISTING.size(); i++) {
                String n = LISTING.get(i);
                if (!reply.add(n, attributes(i < 2 ? 1 : NAMES.get(n)), 0, 0, i + 1)) {
                    break;
                }
            }
            reply.done();
        }
    }

    private static Map<String, Object> unix(Path p) throws Exception {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    private static void withMount(TypedFs fs, ThrowingConsumer<Path> body) throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-typed-");
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults())) {
            body.accept(mnt);
        } finally {
            Files.deleteIfExists(mnt);
        }
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    @Test
    void attributesNamesDataAndStatfsAreWhatWasAnswered() throws Exception {
        for (TypedFs fs : List.of(new TypedFs(), new TypedPlusFs())) {
            withMount(fs, mnt -> {
                // Listing first: with readdirplus its attributes are what the stats below see.
                try (Stream<Path> s = Files.list(mnt)) {
                    assertEquals(Set.of("hello", "link", "null", UNICODE),
                            s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
                }
                Path hello = mnt.resolve("hello");
                Map<String, Object> a = unix(hello);
                assertEquals(2L, a.get("ino"));
                assertEquals(panfuse_h.S_IFREG() | 0640, a.get("mode"));
                assertEquals((long) HELLO.length, a.get("size"));
                assertEquals(1234, a.get("uid"));
                assertEquals(5678, a.get("gid"));
                assertEquals(1, a.get("nlink"));
                assertEquals(0L, a.get("rdev"));
                assertEquals(FileTime.from(MTIME), a.get("lastModifiedTime"));
                assertEquals(FileTime.from(ATIME), a.get("lastAccessTime"));
                assertEquals(FileTime.from(MTIME), a.get("ctime"));
                assertEquals(0x0103L, unix(mnt.resolve("null")).get("rdev"));
                assertEquals(panfuse_h.S_IFCHR() | 0600, unix(mnt.resolve("null")).get("mode"));
                assertEquals(Path.of("hello"), Files.readSymbolicLink(mnt.resolve("link")));
                assertEquals(5L, unix(mnt.resolve(UNICODE)).get("ino"));
                assertEquals("hello, world\n", Files.readString(hello));
                assertEquals("hello, world\n", Files.readString(mnt.resolve("link")));
                FileStore store = Files.getFileStore(hello);
                assertEquals(1000L * 1024, store.getTotalSpace());
                assertEquals(500L * 1024, store.getUnallocatedSpace());
                assertEquals(400L * 1024, store.getUsableSpace());
                // st_blocks from the size when not given: 13 bytes are one 512-byte block.
                assertEquals(1L, stBlocks(hello));
            });
        }
    }

    private static long stBlocks(Path p) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", p.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, stat.waitFor(), out);
        return Long.parseLong(out);
    }

    @Test
    void aTypedAnswerCarriesNothingOfAnEarlierRawOne() throws Exception {
        // One worker: the raw answers and the typed ones share its scratch struct stat.
        TypedFs fs = new TypedFs();
        Path mnt = Files.createTempDirectory("panfuse-typed-");
        try (FuseMount mount = FuseMount.mount(fs, mnt, MountOptions.defaults().withThreads(1))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(0x7777L, unix(mnt.resolve("raw")).get("rdev"));
                Map<String, Object> a = unix(mnt.resolve("hello"));
                assertEquals(0L, a.get("rdev"));
                assertEquals(1, a.get("nlink"));
                assertEquals(1L, stBlocks(mnt.resolve("hello")));
            }
        } finally {
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void setattrArrivesTyped() throws Exception {
        TypedFs fs = new TypedFs();
        withMount(fs, mnt -> {
            Path hello = mnt.resolve("hello");
            Files.setAttribute(hello, "unix:mode", 0600);
            SetAttributes chmod = fs.changes.getLast();
            assertEquals(0600, chmod.permissions().getAsInt());
            assertTrue(chmod.size().isEmpty() && chmod.uid().isEmpty() && chmod.modified().isEmpty());
            assertEquals(panfuse_h.S_IFREG() | 0600, unix(hello).get("mode"));

            Instant when = Instant.parse("2020-01-02T03:04:05.123456789Z");
            Files.setLastModifiedTime(hello, FileTime.from(when));
            SetAttributes utimes = fs.changes.getLast();
            assertEquals(when, utimes.modified().orElseThrow());
            assertFalse(utimes.modifiedNow());
            assertEquals(FileTime.from(when), Files.getLastModifiedTime(hello));

            Instant before = Instant.now().minusSeconds(1);
            run("touch", hello.toString());
            SetAttributes touch = fs.changes.getLast();
            assertTrue(touch.modifiedNow() && touch.accessedNow(), touch.toString());
            assertTrue(touch.modified().orElseThrow().isAfter(before));

            run("truncate", "-s", "5", hello.toString());
            assertEquals(5L, fs.changes.getLast().size().getAsLong());
            assertEquals(5L, Files.size(hello));

            run("chown", "42:43", hello.toString());
            SetAttributes chown = fs.changes.getLast();
            assertEquals(42, chown.uid().getAsInt());
            assertEquals(43, chown.gid().getAsInt());
            assertTrue(chown.permissions().isEmpty() && chown.size().isEmpty());
        });
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    @Test
    void namesReadWithoutReinterpret() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment exact = arena.allocateFrom(UNICODE);
            // As the kernel's names arrive: a bare address, no size.
            MemorySegment bare = MemorySegment.ofAddress(exact.address());
            assertEquals(UNICODE, Names.string(bare));
            assertTrue(Names.is(bare, UNICODE));
            assertFalse(Names.is(bare, "ünï"));
            assertEquals(UNICODE.getBytes(StandardCharsets.UTF_8).length, Names.length(bare));
            MemorySegment latin1 = arena.allocate(4);
            latin1.copyFrom(MemorySegment.ofArray(new byte[] {'a', (byte) 0xe9, 'b', 0}));
            assertEquals(List.of((byte) 'a', (byte) 0xe9, (byte) 'b'), boxed(Names.bytes(MemorySegment.ofAddress(latin1.address()))));
            assertEquals("a\uFFFDb", Names.string(latin1));
            assertThrows(IllegalArgumentException.class, () -> Names.string(MemorySegment.NULL));
        }
    }

    private static List<Byte> boxed(byte[] b) {
        Byte[] out = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i];
        }
        return List.of(out);
    }

    @Test
    void typedValuesAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> FileAttributes.builder(FileType.REGULAR).permissions(0100644).build());
        assertThrows(IllegalArgumentException.class, () -> FileAttributes.builder(FileType.REGULAR).size(-1).build());
        assertEquals(FileType.SYMLINK, FileType.of(panfuse_h.S_IFLNK() | 0777));
        assertThrows(IllegalArgumentException.class, () -> FileType.of(0777));
        FileAttributes a = FileAttributes.builder(FileType.DIRECTORY).ino(7).permissions(0755).build();
        assertEquals(2, a.links());
        assertEquals(panfuse_h.S_IFDIR() | 0755, a.mode());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(stat.layout());
            s.fill((byte) 0x5a);
            a.writeTo(s);
            assertEquals(a, FileAttributes.of(s));
        }
        assertEquals(a, a.toBuilder().build());
        assertEquals(new FsStats(1024, 1024, 1000, 500, 400, 100, 50, 40, 255), FsStats.builder().blockSize(1024)
                .blocks(1000).blocksFree(500, 400).files(100).filesFree(50, 40).build());
    }
}
