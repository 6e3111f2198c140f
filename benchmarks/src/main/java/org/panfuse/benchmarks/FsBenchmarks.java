package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The workloads. Each runs against one target in one cache setting; the
 * target's process is started for the trial and stopped after it. Scores are
 * operations per second; data workloads count one operation per MiB, so
 * their score reads as MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class FsBenchmarks {

    /** The target mounted over a fresh workspace, with the fixtures this benchmark needs. */
    @State(Scope.Benchmark)
    public static class Mounted {
        @Param({"panfuse", "panfuse_never", "passthrough_hp", "passthrough_ll", "bare"})
        public String target;

        @Param({"default", "uncached", "matched"})
        public String setting;

        Workspace workspace;
        MountedTarget mounted;
        Path root;

        @Setup(Level.Trial)
        public void mount(BenchmarkParams params) throws IOException {
            workspace = Workspace.create();
            String name = params.getBenchmark();
            if (name.endsWith("Read1MiB") || name.endsWith("Read4KiB") || name.endsWith("Reads1MiB")) {
                workspace.bigFile();
            }
            if (name.endsWith("list10k")) {
                workspace.listing();
            }
            if (name.endsWith("statExisting")) {
                workspace.statFiles();
            }
            workspace.emptyDirectories();
            mounted = MountedTarget.start(Target.valueOf(target.toUpperCase(java.util.Locale.ROOT)),
                    Setting.valueOf(setting.toUpperCase(java.util.Locale.ROOT)), workspace.source, workspace.mountpoint);
            root = mounted.root();
        }

        @TearDown(Level.Trial)
        public void unmount() throws IOException {
            try {
                mounted.close();
            } finally {
                workspace.close();
            }
        }
    }

    /** A reader moving through the big file in 1 MiB records; reopens at the end, as a new reader would. */
    @State(Scope.Thread)
    public static class SequentialReader {
        FileChannel channel;
        final ByteBuffer record = ByteBuffer.allocateDirect(Workspace.RECORD);
        long position;
        long start;
        Path file;

        @Setup(Level.Iteration)
        public void open(Mounted m, ThreadParams threads) throws IOException {
            file = m.root.resolve("big");
            // Parallel readers start at different quarters of the file.
            start = Workspace.BIG_FILE_SIZE / threads.getThreadCount() * threads.getThreadIndex();
            start -= start % Workspace.RECORD;
            position = start;
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }

        long readRecord() throws IOException {
            if (position >= Workspace.BIG_FILE_SIZE) {
                channel.close();
                channel = FileChannel.open(file, StandardOpenOption.READ);
                position = 0;
            }
            record.clear();
            long n = 0;
            while (record.hasRemaining()) {
                int r = channel.read(record, position + n);
                if (r < 0) {
                    throw new IOException("unexpected end of file at " + (position + n));
                }
                n += r;
            }
            position += n;
            return n;
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            channel.close();
        }
    }

    @Benchmark
    public long sequentialRead1MiB(Mounted m, SequentialReader reader) throws IOException {
        return reader.readRecord();
    }

    @Benchmark
    @Threads(4)
    public long parallelReads1MiB(Mounted m, SequentialReader reader) throws IOException {
        return reader.readRecord();
    }

    /** Random 4 KiB reads at 4 KiB-aligned offsets of the big file. */
    @State(Scope.Thread)
    public static class RandomReader {
        FileChannel channel;
        final ByteBuffer block = ByteBuffer.allocateDirect(4096);
        final SplittableRandom random = new SplittableRandom(42);

        @Setup(Level.Iteration)
        public void open(Mounted m) throws IOException {
            channel = FileChannel.open(m.root.resolve("big"), StandardOpenOption.READ);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            channel.close();
        }
    }

    @Benchmark
    public int randomRead4KiB(Mounted m, RandomReader reader) throws IOException {
        reader.block.clear();
        long offset = reader.random.nextLong(Workspace.BIG_FILE_SIZE / 4096) * 4096;
        return reader.channel.read(reader.block, offset);
    }

    /** 16 MiB written in 1 MiB records, then fsync: one operation per MiB. */
    @State(Scope.Thread)
    public static class Writer {
        final ByteBuffer record = ByteBuffer.allocateDirect(Workspace.RECORD);
        int round;

        @Setup(Level.Trial)
        public void fill() {
            SplittableRandom random = new SplittableRandom(7);
            while (record.hasRemaining()) {
                record.putLong(random.nextLong());
            }
        }
    }

    static final int WRITE_RECORDS = 16;

    @Benchmark
    @OperationsPerInvocation(WRITE_RECORDS)
    public void sequentialWrite1MiBFsync(Mounted m, Writer w) throws IOException {
        Path file = m.root.resolve("write/out-" + (w.round++ & 3));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < WRITE_RECORDS; i++) {
                w.record.clear();
                while (w.record.hasRemaining()) {
                    ch.write(w.record);
                }
            }
            ch.force(true);
        }
    }

    /** Names for create+close; the files are removed after each iteration, outside the measurement. */
    @State(Scope.Thread)
    public static class Creator {
        long next;
        Path dir;

        @Setup(Level.Iteration)
        public void dir(Mounted m) {
            dir = m.root.resolve("create");
        }

        @TearDown(Level.Iteration)
        public void clean() throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Benchmark
    public void createClose(Mounted m, Creator c) throws IOException {
        FileChannel.open(c.dir.resolve("f" + c.next++), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    }

    @State(Scope.Thread)
    public static class StatPicker {
        final SplittableRandom random = new SplittableRandom(3);
        Path[] files;

        @Setup(Level.Trial)
        public void names(Mounted m) {
            files = new Path[Workspace.STAT_FILES];
            for (int i = 0; i < files.length; i++) {
                files[i] = m.root.resolve("stat/f" + i);
            }
        }
    }

    @Benchmark
    public long statExisting(Mounted m, StatPicker s) throws IOException {
        return Files.readAttributes(s.files[s.random.nextInt(s.files.length)], BasicFileAttributes.class).size();
    }

    @Benchmark
    public int list10k(Mounted m) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(m.root.resolve("list"))) {
            for (Path ignored : entries) {
                n++;
            }
        }
        if (n != Workspace.LISTED_ENTRIES) {
            throw new IOException("listed " + n + " entries");
        }
        return n;
    }
}
