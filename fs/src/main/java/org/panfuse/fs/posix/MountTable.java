package org.panfuse.fs.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's view of the mounts, from /proc/self/mountinfo, read afresh
 * by each call. Paths are compared as given: pass absolute paths without
 * symlinks. Each call throws {@link java.io.UncheckedIOException} if
 * mountinfo cannot be read.
 */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /**
     * {@return true if {@code dir} is the mount point of some mount}
     *
     * @param dir the directory (made absolute and normalized, not resolved)
     */
    public static boolean isMountPoint(Path dir) {
        return type(dir) != null;
    }

    /**
     * {@return the filesystem type mounted on {@code dir} (e.g.
     * "fuse.panfuse"), the topmost where several are, or null if none is}
     *
     * @param dir the directory (made absolute and normalized, not resolved)
     */
    public static String type(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        String type = null;
        for (String line : lines()) {
            // id parent major:minor root mountpoint options [optional...] - type source superoptions
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length > 4 && dash > 0 && dash + 1 < f.length && unescape(f[4]).equals(target)) {
                type = f[dash + 1]; // the last one listed is the one on top
            }
        }
        return type;
    }

    /**
     * One line of mountinfo: which filesystem (major:minor), which of its directories (root), and where.
     *
     * @param device     the filesystem's device, "major:minor" as mountinfo writes it
     * @param root       the directory of that filesystem the mount shows (not "/" for a bind mount of a
     *                   subdirectory)
     * @param mountPoint where it is mounted
     */
    public record Mount(String device, Path root, Path mountPoint) {
        /** {@return the device as stat's st_dev gives it (glibc's makedev of "major:minor")} */
        public long dev() {
            int colon = device.indexOf(':');
            long major = Long.parseLong(device.substring(0, colon));
            long minor = Long.parseLong(device.substring(colon + 1));
            return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                    | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        }
    }

    /** {@return every mount, in mountinfo's order (a later one on the same path is on top)} */
    public static List<Mount> mounts() {
        List<Mount> mounts = new java.util.ArrayList<>();
        for (String line : lines()) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                mounts.add(new Mount(f[2], Path.of(unescape(f[3])), Path.of(unescape(f[4]))));
            }
        }
        return mounts;
    }

    /**
     * {@return the mount that {@code path} lies on: the deepest mount point
     * above it (the topmost of several on it), or null if none is}
     *
     * @param mounts the mounts, as {@link #mounts()} lists them
     * @param path   an absolute path without symlinks
     */
    public static Mount containing(List<Mount> mounts, Path path) {
        Mount best = null;
        for (Mount m : mounts) {
            if (path.startsWith(m.mountPoint())
                    && (best == null || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return best;
    }

    /**
     * {@return where {@code path} lies within its filesystem: the mount's root
     * plus the rest of the path}
     *
     * @param m    the mount {@code path} lies on
     * @param path an absolute path at or below {@code m}'s mount point
     */
    public static Path inFilesystem(Mount m, Path path) {
        return m.root().resolve(m.mountPoint().relativize(path).toString());
    }

    /**
     * The mount through which a walk down from {@code source} reaches
     * {@code target} (both absolute, no symlinks), or null if none does: the
     * mount holding the source, or any mount below it, shows a directory of
     * target's filesystem that holds the target. Bind mounts included.
     *
     * @param source the directory walked down from
     * @param target the path looked for
     * @return the mount point (or {@code source} itself) through which it is reached, or null
     */
    public static Path reachedThrough(Path source, Path target) {
        List<Mount> mounts = mounts();
        Mount ofTarget = containing(mounts, target);
        Mount ofSource = containing(mounts, source);
        if (ofTarget == null || ofSource == null) {
            return null;
        }
        Path targetInFs = inFilesystem(ofTarget, target);
        if (ofSource.device().equals(ofTarget.device()) && targetInFs.startsWith(inFilesystem(ofSource, source))) {
            return source;
        }
        for (Mount m : mounts) {
            if (m.mountPoint().startsWith(source) && !m.mountPoint().equals(source)
                    && m.device().equals(ofTarget.device()) && targetInFs.startsWith(m.root())) {
                return m.mountPoint();
            }
        }
        return null;
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(MOUNTINFO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal escapes. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
