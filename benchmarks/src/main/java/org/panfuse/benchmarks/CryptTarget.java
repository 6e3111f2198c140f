package org.panfuse.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the encrypted workloads run against: panfuse's two encrypted views and
 * stock gocryptfs doing the same job, each its own process over the
 * {@link CryptFixture}. The encrypting pair serves the plaintext, the
 * decrypting pair the backup (an rsync copy of the encrypted view).
 */
public enum CryptTarget {
    /** {@code gocryptfs -reverse}: the oracle panfuse's encrypted view matches byte for byte. */
    GOCRYPTFS_REVERSE(true),
    /** {@code panfuse mount --encrypt}. */
    PANFUSE_ENCRYPT(true),
    /** {@code gocryptfs -ro} over the backup. */
    GOCRYPTFS_FORWARD(false),
    /** {@code panfuse mount --decrypt} over the backup. */
    PANFUSE_DECRYPT(false);

    private final boolean encrypts;

    CryptTarget(boolean encrypts) {
        this.encrypts = encrypts;
    }

    /** Whether this target shows ciphertext (of the plaintext) rather than plaintext (of the backup). */
    public boolean encrypts() {
        return encrypts;
    }

    public boolean isPanfuse() {
        return this == PANFUSE_ENCRYPT || this == PANFUSE_DECRYPT;
    }

    /** The gocryptfs target doing the same job as this panfuse one. */
    public CryptTarget stock() {
        return switch (this) {
            case PANFUSE_ENCRYPT, GOCRYPTFS_REVERSE -> GOCRYPTFS_REVERSE;
            case PANFUSE_DECRYPT, GOCRYPTFS_FORWARD -> GOCRYPTFS_FORWARD;
        };
    }

    /** The foreground command that mounts this target's view of {@code fixture} on {@code mountpoint}. */
    List<String> command(CryptFixture fixture, Path mountpoint) {
        List<String> c = new ArrayList<>();
        Path source = encrypts ? fixture.plain : fixture.backup;
        if (isPanfuse()) {
            c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            c.addAll(List.of(System.getProperty("panfuse.bench.jvmArgs", "").split(" ")).stream()
                    .filter(s -> !s.isBlank()).toList());
            c.addAll(List.of("-jar", Target.panfuseJar().toString(), "mount", encrypts ? "--encrypt" : "--decrypt",
                    "--passfile"));
        } else {
            // -fg is what gocryptfs's daemon child runs as (it re-executes itself with it): the same code,
            // but this process stays the server, so its counters and its end are ours to watch.
            c.addAll(List.of("gocryptfs", "-fg", encrypts ? "-reverse" : "-ro", "-passfile"));
        }
        c.addAll(List.of(fixture.passfile.toString(), source.toString(), mountpoint.toString()));
        return c;
    }

    /** Mounts this target's view of {@code fixture} on {@code mountpoint} and waits until it answers. */
    MountedTarget mount(CryptFixture fixture, Path mountpoint) throws java.io.IOException {
        return MountedTarget.start(label(), command(fixture, mountpoint), isPanfuse(), mountpoint);
    }

    /** Lower case, as in tables and JMH parameters. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CryptTarget of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
