package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.AT_FDCWD;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.panfuse.bindings.panfuse_h;
import org.panfuse.bindings.stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A mount's FUSE connection in the fusectl filesystem (/sys/fs/fuse/connections/N). */
final class FuseConnection {
    private static final Logger LOG = LoggerFactory.getLogger(FuseConnection.class);
    private static final Path CONNECTIONS = Path.of("/sys/fs/fuse/connections");

    private FuseConnection() {
    }

    /**
     * The connection number of the FUSE filesystem mounted on {@code mountpoint}:
     * the minor number of its anonymous device. Null if the mount cannot be reached.
     */
    static String of(Path mountpoint) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            // A plain stat through libc: it reaches the mount's root, answered by our own workers.
            if (panfuse_h.fstatat(AT_FDCWD(), arena.allocateFrom(mountpoint.toString()), st, 0) != 0) {
                return null;
            }
            long dev = stat.st_dev(st);
            long minor = (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
            return Long.toString(minor);
        }
    }

    static void abort(String connection) {
        try {
            Path abort = CONNECTIONS.resolve(connection).resolve("abort");
            if (!Files.exists(abort)) {
                // fusectl is usually mounted by the init system; where it is not, mount it (root only).
                new ProcessBuilder("mount", "-t", "fusectl", "fusectl", CONNECTIONS.toString())
                        .redirectErrorStream(true).start().waitFor();
            }
            Files.writeString(abort, "1");
        } catch (IOException e) {
            LOG.warn("could not abort FUSE connection {}: {}", connection, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
