package org.panfuse.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a workload runs against: the bare source directory, or a FUSE
 * passthrough of it mounted by its own process.
 */
public enum Target {
    BARE,
    /** libfuse's example/passthrough_ll.c, built from Debian's fuse3 source package. */
    PASSTHROUGH_LL,
    /** libfuse's example/passthrough_hp.cc, built from Debian's fuse3 source package. */
    PASSTHROUGH_HP,
    /**
     * libfuse 3.18's example/passthrough_hp.cc with its own libfuse linked in, as its users run it (kernel
     * passthrough on); built by build-natives.sh only when a libfuse source tree is given (LIBFUSE_SRC).
     */
    PASSTHROUGH_HP_318,
    /** panfuse's mount jar, its default --passthrough=auto (kernel passthrough where the kernel and privileges allow). */
    PANFUSE,
    /** panfuse's mount jar with --passthrough=never: every read and write goes through the server. */
    PANFUSE_NEVER;

    /** Where benchmarks/run.sh put the natives and the jar; overridable for other layouts. */
    static Path natives() {
        return Path.of(System.getProperty("panfuse.bench.natives", "benchmarks/work/bin")).toAbsolutePath();
    }

    static Path panfuseJar() {
        return Path.of(System.getProperty("panfuse.bench.jar", "cli/target/panfuse.jar")).toAbsolutePath();
    }

    boolean mounts() {
        return this != BARE;
    }

    /** panfuse's mount jar, in either mode (it unmounts itself on SIGTERM). */
    boolean isPanfuse() {
        return this == PANFUSE || this == PANFUSE_NEVER;
    }

    /** The command that mounts {@code source} on {@code mountpoint} in the foreground. */
    List<String> command(Setting setting, Path source, Path mountpoint) {
        List<String> c = new ArrayList<>();
        boolean uncached = setting == Setting.UNCACHED;
        boolean matched = setting == Setting.MATCHED;
        switch (this) {
            case BARE -> throw new IllegalStateException("the bare directory is not mounted");
            case PASSTHROUGH_LL -> {
                c.add(natives().resolve("passthrough_ll").toString());
                c.add("-f");
                c.add("-o");
                c.add("source=" + source + (uncached ? ",cache=never" : matched ? ",cache=always" : ""));
            }
            case PASSTHROUGH_HP, PASSTHROUGH_HP_318 -> {
                c.add(natives().resolve(label()).toString());
                c.add("--foreground");
                if (uncached) {
                    c.add("--nocache");
                }
                c.add(source.toString());
            }
            case PANFUSE, PANFUSE_NEVER -> {
                c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                c.addAll(List.of(System.getProperty("panfuse.bench.jvmArgs", "").split(" ")).stream()
                        .filter(s -> !s.isBlank()).toList());
                c.add("-jar");
                c.add(panfuseJar().toString());
                c.add("mount");
                if (this == PANFUSE_NEVER) {
                    c.add("--passthrough=never");
                }
                if (uncached) {
                    c.add("--cache=never");
                } else if (matched) {
                    c.add("--cache=always");
                }
                c.add(source.toString());
            }
        }
        c.add(mountpoint.toString());
        return c;
    }

    /** Lower case, as in tables and JMH parameters. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
