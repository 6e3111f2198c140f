package org.panfuse.cli;

import org.panfuse.fs.posix.MountTable;

import static org.panfuse.bindings.panfuse_h.*;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.panfuse.bindings.stat;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.LibFuse;
import org.panfuse.fs.lowlevel.LibFuseUnavailableException;
import org.panfuse.fs.posix.Libc;

/**
 * The checks before a mount, each failing with one sentence that says what is
 * wrong and what to do, instead of a libfuse message or a stack trace.
 */
final class MountPreflight {
    private static final Path DEV_FUSE = Path.of("/dev/fuse");

    private MountPreflight() {
    }

    static void check(Path source, Path mountpoint, boolean clearStale) {
        requireLibfuse();
        requireSource(source);
        requireMountpoint(mountpoint, clearStale);
        requireOutside(source, mountpoint);
        requireDevFuse();
    }

    /** The same for the sources of a config file (each already checked to be a readable directory). */
    static void check(MountConfig config, Path mountpoint, boolean clearStale) {
        requireLibfuse();
        requireMountpoint(mountpoint, clearStale);
        requireOutsideAll(config, mountpoint);
        requireDevFuse();
    }

    /** The mountpoint lies inside none of the config's sources; the error names the source's line. */
    static void requireOutsideAll(MountConfig config, Path mountpoint) {
        for (int i = 0; i < config.sources.size(); i++) {
            try {
                requireOutside(config.sources.get(i).path(), mountpoint);
            } catch (UserError e) {
                throw UserError.usage(config.file + ":" + config.sourceLines.get(i) + ": " + e.getMessage());
            }
        }
    }

    private static void requireDevFuse() {
        if (!Files.exists(DEV_FUSE)) {
            throw new UserError("/dev/fuse does not exist: load the fuse kernel module (modprobe fuse), "
                    + "or in a container pass the device through (--device /dev/fuse)");
        }
    }

    private static void requireLibfuse() {
        try {
            LibFuse.require();
        } catch (LibFuseUnavailableException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static void requireSource(Path source) {
        int mode = statMode(source, "source");
        if ((mode & S_IFMT()) != S_IFDIR()) {
            throw new UserError("source " + source + " is not a directory");
        }
        if (!Files.isReadable(source) || !Files.isExecutable(source)) {
            throw new UserError("source " + source + " is not readable (permission denied)");
        }
    }

    private static void requireMountpoint(Path mountpoint, boolean clearStale) {
        int mode;
        try {
            mode = statMode(mountpoint, "mountpoint");
        } catch (StaleMount stale) {
            if (!clearStale) {
                throw new UserError("mountpoint " + mountpoint + " is left behind by a filesystem process that died "
                        + "(transport endpoint is not connected); clear it with: fusermount3 -u " + mountpoint
                        + " (or mount again with --clear-stale)");
            }
            clear(mountpoint);
            requireMountpoint(mountpoint, false);
            return;
        }
        if ((mode & S_IFMT()) != S_IFDIR()) {
            throw new UserError("mountpoint " + mountpoint + " is not a directory");
        }
        if (MountTable.isMountPoint(mountpoint)) {
            throw new UserError("mountpoint " + mountpoint + " is already mounted (" + MountTable.type(mountpoint)
                    + "); unmount it first: fusermount3 -u " + mountpoint);
        }
    }

    /**
     * A mount inside its own source would serve lookups of itself: they loop,
     * and a single worker deadlocks on its own mountpoint. SOURCE = MOUNTPOINT
     * is fine (a view over the directory it hides: the source is opened first).
     */
    static void requireOutside(Path source, Path mountpoint) {
        Path s;
        Path m;
        try {
            s = source.toRealPath();
            m = mountpoint.toRealPath();
        } catch (java.io.IOException e) {
            throw new UserError("cannot resolve " + source + " or " + mountpoint + ": " + e.getMessage());
        }
        if (s.equals(m)) {
            return;
        }
        Path through = MountTable.reachedThrough(s, m);
        if (through != null) {
            throw UserError.usage("mountpoint " + mountpoint + " lies inside source " + source
                    + (through.equals(s) ? "" : " (reached through the mount on " + through + ")")
                    + ": the mount would serve itself; choose a mountpoint outside the source");
        }
    }

    /** Detaches the dead mount (what fusermount3 -u -z does), so the directory beneath is usable again. */
    private static void clear(Path mountpoint) {
        try {
            Process p = new ProcessBuilder("fusermount3", "-u", "-z", mountpoint.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new UserError("could not clear the stale mount on " + mountpoint + ": " + out);
            }
            System.err.println("panfuse: cleared the stale mount on " + mountpoint);
        } catch (java.io.IOException e) {
            throw new UserError("could not run fusermount3 to clear " + mountpoint + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while clearing " + mountpoint);
        }
    }

    private static final class StaleMount extends RuntimeException {
        StaleMount() {
            super(null, null, false, false);
        }
    }

    private static int statMode(Path path, String role) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = stat.allocate(arena);
            Libc.fstatat(AT_FDCWD(), arena.allocateFrom(path.toString()), st, 0);
            return stat.st_mode(st);
        } catch (ErrnoException e) {
            if (e.errno() == ENOTCONN()) {
                throw new StaleMount();
            }
            if (e.errno() == ENOENT()) {
                throw new UserError(role + " " + path + " does not exist");
            }
            if (e.errno() == EACCES()) {
                throw new UserError(role + " " + path + " cannot be reached (permission denied)");
            }
            if (e.errno() == ENOTDIR()) {
                throw new UserError(role + " " + path + " does not exist (a parent is not a directory)");
            }
            throw new UserError(role + " " + path + " cannot be read: " + e.getMessage());
        }
    }

}
