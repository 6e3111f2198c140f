package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * A scratch source directory, a bare reference directory, and the source
 * mounted through panfuse's passthrough in this JVM. Closing unmounts
 * (also when the test failed) and removes the directories.
 */
final class MountedSource implements AutoCloseable {
    final Path base;
    /** The bare reference tree: every differential operation runs here and through the mount. */
    final Path reference;
    final Path source;
    final Path mountpoint;
    final PassthroughFs fs;
    final FuseMount mount;

    /** A loop-mounted ext4 image under {@code base}, or null for a base on tmpfs. */
    private Path ext4Image;
    /** What else closing removes: the other sources of a several-source mount. */
    private final java.util.List<Path> otherSources = new java.util.ArrayList<>();
    private Path otherTmpfs;

    private MountedSource(Path base, Path source, Path mountpoint, PassthroughFs fs, FuseMount mount) {
        this.base = base;
        this.reference = base.resolve("reference");
        this.source = source;
        this.mountpoint = mountpoint;
        this.fs = fs;
        this.mount = mount;
    }

    static MountedSource mount(PassthroughOptions fsOptions, MountOptions mountOptions) throws IOException {
        // /dev/shm is tmpfs: fast, and it supports file handles, xattrs (user.* since 6.6) and SEEK_DATA.
        return mountIn(Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-test-"), fsOptions, mountOptions);
    }

    /**
     * As {@link #mount}, with the source and the reference tree on a fresh ext4
     * filesystem (a loop-mounted image made here): ext4 reuses inode numbers
     * soon after a file is deleted, and numbers its inodes with generations.
     */
    static MountedSource mountOnExt4(PassthroughOptions fsOptions, MountOptions mountOptions) throws IOException {
        Path image = Files.createTempFile(Path.of("/dev/shm"), "panfuse-ext4-", ".img");
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-test-ext4-");
        try {
            run("truncate", "-s", "256M", image.toString());
            run("mkfs.ext4", "-q", "-F", "-N", "4096", image.toString());
            run("mount", "-o", "loop", image.toString(), base.toString());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(image);
            Files.deleteIfExists(base);
            throw e;
        }
        MountedSource m = mountIn(base, fsOptions, mountOptions);
        m.ext4Image = image;
        return m;
    }

    private static void run(String... command) throws IOException {
        try {
            Shell.Result r = Shell.run(Path.of("/"), java.util.Map.of(), command);
            if (r.exit() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + r.exit() + ": " + r.output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * The kernel passthrough mode the suite runs in: CI runs it twice, with
     * {@code -Dpanfuse.test.passthrough=auto} (in force on a kernel that has
     * it) and {@code never}; tests that need one mode say so themselves.
     */
    static final KernelPassthroughMode TEST_PASSTHROUGH = KernelPassthroughMode.valueOf(
            System.getProperty("panfuse.test.passthrough", "auto").toUpperCase(java.util.Locale.ROOT));

    /** The suite's mode, unless the test chose one itself. */
    static PassthroughOptions inTestMode(PassthroughOptions options) {
        return options.passthrough() == KernelPassthroughMode.AUTO ? options.withPassthrough(TEST_PASSTHROUGH) : options;
    }

    private static MountedSource mountIn(Path base, PassthroughOptions fsOptions, MountOptions mountOptions)
            throws IOException {
        Path source = Files.createDirectory(base.resolve("source"));
        Path mountpoint = Files.createDirectory(base.resolve("mnt"));
        Files.createDirectory(base.resolve("reference"));
        PassthroughFs fs = PassthroughFs.open(source, inTestMode(fsOptions));
        try {
            FuseMount mount = FuseMount.mount(fs, mountpoint, mountOptions);
            // The first request waits for FUSE_INIT: the mount is ready once it is answered.
            Files.getFileStore(mountpoint);
            Files.readAttributes(mountpoint, java.nio.file.attribute.BasicFileAttributes.class);
            return new MountedSource(base, source, mountpoint, fs, mount);
        } catch (RuntimeException e) {
            fs.close();
            deleteTree(base);
            throw e;
        }
    }

    static MountedSource mount() throws IOException {
        return mount(PassthroughOptions.defaults(), MountOptions.defaults());
    }

    /** The name of the tested source in {@link #mountAsOneOfThree}. */
    static final String TESTED = "tested";

    /**
     * The source as one of three under one mount (the view of a config file):
     * "disk" on the root disk, "tested" (the source and the reference beside it,
     * on tmpfs), and "tmpfs" on a tmpfs of its own. {@link #mountpoint} is the
     * tested source's entry, so every test of a single-source mount runs here unchanged.
     */
    static MountedSource mountAsOneOfThree(PassthroughOptions fsOptions, MountOptions mountOptions)
            throws IOException {
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "panfuse-test-three-");
        Path source = Files.createDirectory(base.resolve("source"));
        Path root = Files.createDirectory(base.resolve("mnt"));
        Files.createDirectory(base.resolve("reference"));
        Path tmpfs = Files.createDirectory(base.resolve("other-tmpfs"));
        Path disk = Files.createTempDirectory(Path.of("/var/tmp"), "panfuse-test-disk-");
        run("mount", "-t", "tmpfs", "tmpfs", tmpfs.toString());
        PassthroughFs fs = PassthroughFs.open(java.util.List.of(
                org.panfuse.fs.tree.SourceSpec.of("disk", disk),
                org.panfuse.fs.tree.SourceSpec.of(TESTED, source),
                org.panfuse.fs.tree.SourceSpec.of("tmpfs", tmpfs)), inTestMode(fsOptions), 0, 0);
        FuseMount mount;
        try {
            mount = FuseMount.mount(fs, root, mountOptions);
            Files.getFileStore(root);
        } catch (RuntimeException e) {
            fs.close();
            run("umount", tmpfs.toString());
            deleteTree(disk);
            deleteTree(base);
            throw e;
        }
        MountedSource m = new MountedSource(base, source, root.resolve(TESTED), fs, mount);
        m.otherTmpfs = tmpfs;
        m.otherSources.add(disk);
        return m;
    }

    /**
     * Runs {@code op} on the bare reference tree and through the mount, and
     * asserts the two outcomes (value or errno, data) are the same.
     */
    String same(String what, Function<Path, String> op) {
        String expected = op.apply(reference);
        String actual = op.apply(mountpoint);
        assertEquals(expected, actual, what);
        return actual;
    }

    /** Asserts the reference tree and the source (as seen through the mount) hold the same things. */
    void assertTreesEqual() throws IOException {
        assertEquals(TreeSnapshot.of(reference), TreeSnapshot.of(mountpoint), "tree through the mount vs bare tree");
    }

    /**
     * Drops the kernel's unused dentries and inodes and waits until the
     * FORGETs this sends (asynchronously) have brought the table down to
     * {@code expected} inodes; returns how many it holds then.
     */
    int dropKernelCachesAndAwait(int expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "2");
            if (fs.knownInodes() <= expected) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return fs.knownInodes();
    }

    /** The same relative path in the source and through the mount. */
    Path src(String relative) {
        return source.resolve(relative);
    }

    Path mnt(String relative) {
        return mountpoint.resolve(relative);
    }

    @Override
    public void close() throws IOException {
        mount.close();
        if (otherTmpfs != null) {
            run("umount", otherTmpfs.toString());
        }
        for (Path p : otherSources) {
            deleteTree(p);
        }
        if (ext4Image != null) {
            run("umount", base.toString());
            Files.deleteIfExists(ext4Image);
            Files.deleteIfExists(base);
        } else {
            deleteTree(base);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
