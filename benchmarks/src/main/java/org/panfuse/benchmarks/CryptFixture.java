package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the encrypted targets serve, on tmpfs: a plaintext tree (one 512 MiB
 * file, a directory of 10,000 small files), its key file made by {@code gocryptfs
 * -init -reverse -scryptn 10}, and a backup, an rsync copy of gocryptfs -reverse's
 * view of it. Building it takes a while (the backup goes through gocryptfs at
 * its speed), so it is built once and kept for the trials, rounds and runs after.
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.CryptFixture   # builds it if needed, prints where</pre>
 */
public final class CryptFixture {
    static final String BIG = "big";
    static final String FILES = "files";
    public static final long BIG_SIZE = 512L << 20;
    public static final int SMALL_FILES = 10_000;
    /** Small files are 1 byte to 8 KiB: one or two content blocks. */
    static final int SMALL_MAX = 8192;

    final Path base;
    final Path plain;
    final Path backup;
    final Path passfile;
    final long bigSize;
    final int smallFiles;

    CryptFixture(Path base, long bigSize, int smallFiles) {
        this.base = base;
        this.plain = base.resolve("plain");
        this.backup = base.resolve("backup");
        this.passfile = base.resolve("passfile");
        this.bigSize = bigSize;
        this.smallFiles = smallFiles;
    }

    /** The fixture the benchmarks use, built if it is not there yet. */
    public static CryptFixture standard() throws IOException {
        Path base = Path.of(System.getProperty("panfuse.bench.cryptFixture", "/dev/shm/panfuse-bench/encrypted"));
        return new CryptFixture(base, BIG_SIZE, SMALL_FILES).ready();
    }

    public static void main(String[] args) throws Exception {
        System.out.println(standard().base);
    }

    /** Builds the fixture unless a complete one of the same shape is there; returns this. */
    CryptFixture ready() throws IOException {
        Path done = base.resolve("ready");
        String shape = "big=" + bigSize + " files=" + smallFiles + "\n";
        if (Files.exists(done) && Files.readString(done).equals(shape)) {
            return this;
        }
        delete(base);
        Files.createDirectories(plain);
        writeBig(plain.resolve(BIG));
        writeSmallFiles(Files.createDirectory(plain.resolve(FILES)));
        Files.writeString(passfile, "panfuse-bench\n");
        run(List.of("gocryptfs", "-init", "-reverse", "-scryptn", "10", "-passfile", passfile.toString(),
                plain.toString()));
        Path mnt = Files.createDirectory(base.resolve("mnt-backup"));
        try (MountedTarget view = CryptTarget.GOCRYPTFS_REVERSE.mount(this, mnt)) {
            run(List.of("rsync", "-a", view.root() + "/", backup + "/"));
        }
        Files.delete(mnt);
        Files.writeString(done, shape);
        return this;
    }

    /**
     * The big file and the directory of small files as a view shows them. In the
     * encrypted view names are ciphertext, so they are found by shape: the
     * largest file and the only directory at the root.
     */
    record Shown(Path big, long bigSize, Path files) {
        static Shown in(Path root) throws IOException {
            Path big = null;
            long bigSize = -1;
            Path files = null;
            try (Stream<Path> top = Files.list(root)) {
                for (Path p : top.toList()) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isDirectory()) {
                        files = p;
                    } else if (a.isRegularFile() && a.size() > bigSize) {
                        big = p;
                        bigSize = a.size();
                    }
                }
            }
            if (big == null || files == null) {
                throw new IOException(root + " shows no big file or no directory");
            }
            return new Shown(big, bigSize, files);
        }
    }

    /** A new, empty directory beside the fixture (a mountpoint, a restore's destination). */
    Path scratchDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(base, prefix);
    }

    /** Pseudo-random bytes all through: AES costs the same for any bytes, but no page is a zero page. */
    private void writeBig(Path file) throws IOException {
        ByteBuffer record = ByteBuffer.allocateDirect(1 << 20);
        SplittableRandom random = new SplittableRandom(1);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bigSize; written += record.capacity()) {
                record.clear();
                while (record.hasRemaining()) {
                    record.putLong(random.nextLong());
                }
                record.flip().limit((int) Math.min(record.capacity(), bigSize - written));
                while (record.hasRemaining()) {
                    ch.write(record);
                }
            }
        }
    }

    private void writeSmallFiles(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < smallFiles; i++) {
            byte[] bytes = new byte[1 + random.nextInt(SMALL_MAX)];
            random.nextBytes(bytes);
            Files.write(dir.resolve("file-" + i), bytes);
        }
    }

    static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
