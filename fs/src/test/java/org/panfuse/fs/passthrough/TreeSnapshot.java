package org.panfuse.fs.passthrough;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A tree as text: per relative path its attributes (Posix.describe), the
 * link target or the content digest, and its user xattrs. Two trees are alike
 * exactly when their snapshots are equal.
 */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static String of(Path root) throws IOException {
        TreeMap<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                StringBuilder sb = new StringBuilder(Posix.lstat(p));
                if (Files.isSymbolicLink(p)) {
                    sb.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    sb.append(" sha256=").append(digest(p));
                }
                if (!Files.isSymbolicLink(p) && (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                    sb.append(" xattrs=").append(Posix.listxattr(p, 65536));
                }
                entries.put(rel.isEmpty() ? "." : rel, sb.toString());
            }
        }
        StringBuilder out = new StringBuilder();
        entries.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    private static String digest(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
