package org.panfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/self/mountinfo}, with the fields that
 * {@code panfuse list} and {@code panfuse unmount} need: which mount (its id
 * and device), where, of what type, from what source, with which options.
 *
 * @param id         the mount's id (what {@code /proc/PID/fdinfo/FD} names as mnt_id)
 * @param device     the filesystem's device as "major:minor" (decimal)
 * @param mountPoint where it is mounted, unescaped
 * @param options    the per-mount options (ro or rw first)
 * @param type       the filesystem type, e.g. fuse.panfuse
 * @param source     the "device" column: for panfuse mounts, the source directory or the config file
 * @param userId     for FUSE mounts the uid that mounted it (the user_id= super option), else -1
 */
record MountEntry(int id, String device, Path mountPoint, List<String> options, String type, String source,
        int userId) {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** Every mount this process sees, in mountinfo's order (a later one on the same path is on top). */
    static List<MountEntry> readAll() {
        List<String> lines;
        try {
            lines = Files.readAllLines(MOUNTINFO);
        } catch (IOException e) {
            throw new UserError("cannot read " + MOUNTINFO + ": " + e.getMessage());
        }
        List<MountEntry> all = new ArrayList<>(lines.size());
        for (String line : lines) {
            MountEntry m = parse(line);
            if (m != null) {
                all.add(m);
            }
        }
        return all;
    }

    /**
     * One mountinfo line, or null if it is not one:
     * {@code id parent major:minor root mountpoint options [optional...] - type source superoptions}.
     */
    static MountEntry parse(String line) {
        String[] f = line.split(" ");
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 2 >= f.length) {
            return null;
        }
        try {
            int userId = -1;
            if (dash + 3 < f.length) {
                for (String option : f[dash + 3].split(",")) {
                    if (option.startsWith("user_id=")) {
                        userId = Integer.parseInt(option.substring("user_id=".length()));
                    }
                }
            }
            return new MountEntry(Integer.parseInt(f[0]), f[2], Path.of(unescape(f[4])), List.of(f[5].split(",")),
                    unescape(f[dash + 1]), unescape(f[dash + 2]), userId);
        } catch (RuntimeException e) {
            return null; // not the format we know: skipped, as the kernel never writes one
        }
    }

    /** The mount on top at {@code mountPoint} (absolute, no symlinks), or null if nothing is mounted there. */
    static MountEntry on(List<MountEntry> all, Path mountPoint) {
        MountEntry top = null;
        for (MountEntry m : all) {
            if (m.mountPoint().equals(mountPoint)) {
                top = m;
            }
        }
        return top;
    }

    /**
     * Where {@code given} is as mountinfo names it: absolute, its parent's
     * symlinks resolved. The mountpoint itself is not looked at: a hung or
     * dead FUSE server would make a stat of it hang or fail.
     */
    static Path resolve(Path given) {
        Path absolute = given.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            return absolute;
        }
        try {
            return parent.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute; // then it is no mountpoint mountinfo lists, which the caller says
        }
    }

    /** The mounts strictly below {@code mountPoint}: an unmount of it is busy while they are there. */
    static List<MountEntry> below(List<MountEntry> all, Path mountPoint) {
        return all.stream().filter(m -> m.mountPoint().startsWith(mountPoint) && !m.mountPoint().equals(mountPoint))
                .toList();
    }

    /**
     * True for panfuse's mounts: the subtype is "panfuse" for the mirrors and
     * "panfuse-encrypt" / "panfuse-decrypt" for the encrypted views.
     */
    boolean isPanfuse() {
        return type.equals("fuse.panfuse") || type.startsWith("fuse.panfuse-");
    }

    /** Mounted read-only (the per-mount ro flag). */
    boolean readOnly() {
        return options.contains("ro");
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal escapes; the bytes are UTF-8. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        byte[] raw = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2])
                    && isOctal(raw[i + 3])) {
                bytes.write((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
                i += 3;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }
}
