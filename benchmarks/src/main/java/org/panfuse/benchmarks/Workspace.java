package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A source directory on tmpfs (so the disk's noise stays out) and a
 * mountpoint beside it, with the fixtures the workloads read.
 */
public final class Workspace implements AutoCloseable {
    public static final long BIG_FILE_SIZE = 512L << 20;
    public static final int RECORD = 1 << 20;
    public static final int LISTED_ENTRIES = 10_000;
    public static final int STAT_FILES = 1_000;

    public final Path base;
    public final Path source;
    public final Path mountpoint;

    private Workspace(Path base) throws IOException {
        this.base = base;
        this.source = Files.createDirectory(base.resolve("source"));
        this.mountpoint = Files.createDirectory(base.resolve("mnt"));
    }

    public static Workspace create() throws IOException {
        Path shm = Files.createDirectories(Path.of("/dev/shm/panfuse-bench"));
        return new Workspace(Files.createTempDirectory(shm, "ws-"));
    }

    /** A 512 MiB file of pseudo-random bytes (incompressible, and not all zero pages). */
    public void bigFile() throws IOException {
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        SplittableRandom random = new SplittableRandom(1);
        while (record.hasRemaining()) {
            record.putLong(random.nextLong());
        }
        try (FileChannel ch = FileChannel.open(source.resolve("big"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            for (long written = 0; written < BIG_FILE_SIZE; written += RECORD) {
                record.clear();
                while (record.hasRemaining()) {
                    ch.write(record);
                }
            }
        }
    }

    /** A directory of {@link #LISTED_ENTRIES} empty files. */
    public void listing() throws IOException {
        Path dir = Files.createDirectory(source.resolve("list"));
        for (int i = 0; i < LISTED_ENTRIES; i++) {
            Files.createFile(dir.resolve("entry-" + i));
        }
    }

    /** {@link #STAT_FILES} small files to stat. */
    public void statFiles() throws IOException {
        Path dir = Files.createDirectory(source.resolve("stat"));
        for (int i = 0; i < STAT_FILES; i++) {
            Files.writeString(dir.resolve("f" + i), "x");
        }
    }

    public void emptyDirectories() throws IOException {
        Files.createDirectory(source.resolve("create"));
        Files.createDirectory(source.resolve("write"));
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
