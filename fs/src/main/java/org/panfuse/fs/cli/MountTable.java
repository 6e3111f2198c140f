package org.panfuse.fs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's view of the mounts, from /proc/self/mountinfo. */
final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /** True if {@code dir} is the mount point of some mount. */
    static boolean isMountPoint(Path dir) {
        return type(dir) != null;
    }

    /** The filesystem type mounted on {@code dir} (e.g. "fuse.panfuse"), or null. */
    static String type(Path dir) {
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
