package org.panfuse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code systemd-escape --path}: a path as one file name, the way systemd
 * names mount units ({@code /mnt/data} is {@code mnt-data}). Used for the
 * state files of {@code /run/panfuse/}, so that a person finds a mount's file
 * by the name they know from systemd, and no two mountpoints share one.
 */
final class SystemdEscape {
    private SystemdEscape() {
    }

    /** The escaped form of {@code path} (absolute and normalized): "/" is "-". */
    static String path(Path path) {
        String s = path.normalize().toString();
        // systemd strips the slashes at both ends and escapes what is left, '/' becoming '-'.
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        if (from == to) {
            return "-";
        }
        byte[] bytes = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '/') {
                out.append('-');
            } else if ((i == 0 && b == '.') || !plain(b)) {
                // A leading '.' would make a hidden file; '-' and '\' would be ambiguous.
                out.append(String.format("\\x%02x", b));
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }

    /** Letters, digits, ':', '_' and '.' stay as they are; everything else (with '-' and '\') is \xNN. */
    private static boolean plain(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == ':' || b == '_' || b == '.';
    }
}
