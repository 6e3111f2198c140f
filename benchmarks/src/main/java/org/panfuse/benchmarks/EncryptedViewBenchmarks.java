package org.panfuse.benchmarks;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The encrypted views against gocryptfs 2.3 over the same {@link CryptFixture}:
 * panfuse --encrypt against gocryptfs -reverse on the plaintext, panfuse
 * --decrypt against gocryptfs -ro on the backup. Each target is its own
 * process, mounted for the trial. Every workload is made to reach the
 * filesystem process, and each iteration checks that it did (see
 * {@link View#check}): the page cache and the attribute cache must not answer.
 * Sequential reads count one operation per MiB, so they read as MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EncryptedViewBenchmarks {
    /** One sequential pass reads this many MiB, from offset 0: the whole plaintext, 99% of the ciphertext. */
    static final int PASS_MIB = (int) (CryptFixture.BIG_SIZE >> 20);
    static final int RECORD = 1 << 20;
    static final int BLOCK = 4096;
    /** Both views let the kernel keep names and attributes for 1 s (gocryptfs's and panfuse's default). */
    static final long ATTRIBUTE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The target mounted over the fixture, and what the workloads need of its view. */
    @State(Scope.Benchmark)
    public static class View {
        @Param({"gocryptfs_reverse", "panfuse_encrypt", "gocryptfs_forward", "panfuse_decrypt"})
        public String target;

        MountedTarget mounted;
        Path mountpoint;
        Path big;
        long bigSize;
        Path files;
        Path[] entries;
        final ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        /** O_DIRECT wants the buffer aligned too. */
        final ByteBuffer block = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK).slice();
        String workload;
        /** What the workload asked of the view this iteration, and the server's counters at its start. */
        long bytesRead;
        long operations;
        ProcIo before;

        @Setup(Level.Trial)
        public void mount(BenchmarkParams params) throws IOException {
            CryptFixture fixture = CryptFixture.standard();
            mountpoint = fixture.scratchDirectory("mnt-");
            mounted = CryptTarget.of(target).mount(fixture, mountpoint);
            workload = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            CryptFixture.Shown shown = CryptFixture.Shown.in(mountpoint);
            big = shown.big();
            bigSize = shown.bigSize();
            files = shown.files();
            List<Path> names = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(files)) {
                for (Path p : listing) {
                    // Each directory of the encrypted view also shows its IV file; the entries are the source's.
                    if (!p.getFileName().toString().equals("gocryptfs.diriv")) {
                        names.add(p);
                    }
                }
            }
            if (names.size() != CryptFixture.SMALL_FILES || bigSize < CryptFixture.BIG_SIZE) {
                throw new IOException(target + " shows " + names.size() + " files and a file of " + bigSize + " bytes");
            }
            entries = names.stream().sorted().toArray(Path[]::new);
        }

        @Setup(Level.Iteration)
        public void startCounting() throws IOException {
            bytesRead = 0;
            operations = 0;
            before = ProcIo.of(mounted.pid());
        }

        /**
         * Fails the iteration if a cache answered. Reads: the server must have
         * read at least 90% of what the workload read (it reads more: whole
         * blocks, and ciphertext is longer). Stat and listing: at least one
         * request read from /dev/fuse (a read syscall) per stat, per listing.
         */
        @TearDown(Level.Iteration)
        public void check() throws IOException {
            ProcIo after = ProcIo.of(mounted.pid());
            long served = after.rchar() - before.rchar();
            long requests = after.syscr() - before.syscr();
            boolean ok = switch (workload) {
                case "sequentialRead1MiB", "randomRead4KiB" -> served >= bytesRead * 0.9;
                default -> requests >= operations * 0.9;
            };
            String line = String.format(Locale.ROOT, "check %s %s: %d ops, %.1f MiB read by the workload; "
                    + "the server read %.1f MiB in %d read calls", target, workload, operations, bytesRead / 1048576.0,
                    served / 1048576.0, requests);
            System.out.println(line);
            if (!ok) {
                throw new IllegalStateException("a cache answered: " + line);
            }
        }

        @TearDown(Level.Trial)
        public void unmount() throws IOException {
            try {
                mounted.close();
            } finally {
                Files.deleteIfExists(mountpoint);
            }
        }
    }

    /** The server's I/O counters (/proc/PID/io): bytes read by read calls (its pread of the source included), and read calls. */
    record ProcIo(long rchar, long syscr) {
        static ProcIo of(long pid) throws IOException {
            long rchar = -1;
            long syscr = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("rchar:")) {
                    rchar = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscr:")) {
                    syscr = Long.parseLong(line.substring(6).trim());
                }
            }
            return new ProcIo(rchar, syscr);
        }
    }

    /**
     * Opens the big file and reads its first 512 MiB in 1 MiB reads. A FUSE
     * file's cached pages are dropped at open (neither view asks to keep them),
     * so each pass reaches the server; the kernel's readahead is each view's own.
     */
    @Benchmark
    @OperationsPerInvocation(PASS_MIB)
    public long sequentialRead1MiB(View v) throws IOException {
        long n = 0;
        try (FileChannel ch = FileChannel.open(v.big, StandardOpenOption.READ)) {
            for (int i = 0; i < PASS_MIB; i++) {
                v.record.clear();
                while (v.record.hasRemaining()) {
                    int r = ch.read(v.record, n);
                    if (r < 0) {
                        throw new IOException("unexpected end of file at " + n);
                    }
                    n += r;
                }
            }
        }
        v.bytesRead += n;
        v.operations += PASS_MIB;
        return n;
    }

    /** The big file opened O_DIRECT: no page cache, every 4 KiB read is a request. */
    @State(Scope.Thread)
    public static class DirectReader {
        FileChannel channel;
        final SplittableRandom random = new SplittableRandom(42);

        @Setup(Level.Iteration)
        public void open(View v) throws IOException {
            channel = FileChannel.open(v.big, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            channel.close();
        }
    }

    /** 4 KiB at a random 4 KiB-aligned offset of the big file (ciphertext or plaintext as the view shows it). */
    @Benchmark
    public int randomRead4KiB(View v, DirectReader r) throws IOException {
        v.block.clear();
        long offset = r.random.nextLong(v.bigSize / BLOCK) * BLOCK;
        int n = r.channel.read(v.block, offset);
        v.bytesRead += n;
        v.operations++;
        return n;
    }

    /** opendir, readdir to the end, closedir: neither view asks the kernel to cache listings. */
    @Benchmark
    public int list10k(View v) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(v.files)) {
            for (Path ignored : entries) {
                n++;
            }
        }
        if (n < CryptFixture.SMALL_FILES) {
            throw new IOException("listed " + n + " entries");
        }
        v.operations++;
        return n;
    }

    /**
     * Keeps each stat pass at least the attribute timeout after the previous
     * one ended, so that no name or attribute is still cached and every stat
     * is a LOOKUP at the server. The wait is a per-invocation helper: JMH
     * times each invocation and leaves it out.
     */
    @State(Scope.Thread)
    public static class StatPacer {
        long lastPassEnded;

        /** The trial's set-up listed the directory: gocryptfs answers listings with READDIRPLUS, which caches too. */
        @Setup(Level.Trial)
        public void afterMount(View v) {
            lastPassEnded = System.nanoTime();
        }

        @Setup(Level.Invocation)
        public void awaitExpiry() throws InterruptedException {
            long wait = lastPassEnded + ATTRIBUTE_TIMEOUT_NANOS + TimeUnit.MILLISECONDS.toNanos(100) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }

        @TearDown(Level.Invocation)
        public void passEnded() {
            lastPassEnded = System.nanoTime();
        }
    }

    /** lstat of each of the 10,000 files, in name order; one operation per stat. */
    @Benchmark
    @OperationsPerInvocation(CryptFixture.SMALL_FILES)
    public long stat10k(View v, StatPacer pacer) throws IOException {
        long sizes = 0;
        for (Path p : v.entries) {
            sizes += Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        }
        v.operations += v.entries.length;
        return sizes;
    }
}
