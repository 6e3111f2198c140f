package org.panfuse.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What keeps a mount busy, as {@code fuser -m} would find it: the processes
 * with their working or root directory, their executable, an open file or a
 * mapped file on it, read from {@code /proc/PID/{cwd,root,exe,fd,maps}}; and
 * any mount inside it. Only paths are read, never the mount itself, so a hung
 * server cannot hang the search. Without root only the user's own processes
 * can be seen.
 */
final class MountHolders {
    private static final Path PROC = Path.of("/proc");
    private static final String DELETED = " (deleted)";
    /** Processes named in the one line; the rest are counted. */
    private static final int NAMED = 4;

    /**
     * A process that holds the mount.
     *
     * @param pid     its pid
     * @param command its name ({@code /proc/PID/comm})
     * @param what    what it holds, each a phrase after the process ("has its working directory there")
     */
    record Holder(long pid, String command, List<String> what) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + command + ") " + String.join(" and ", what);
        }
    }

    private MountHolders() {
    }

    /**
     * The processes that hold {@code mount} or a mount inside it.
     *
     * @param inside the mounts below it (see {@link MountEntry#below})
     */
    static List<Holder> find(MountEntry mount, List<MountEntry> inside) {
        Set<Integer> ids = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        ids.add(mount.id());
        devices.add(mount.device());
        for (MountEntry m : inside) {
            ids.add(m.id());
            devices.add(m.device());
        }
        String root = mount.mountPoint().toString();
        if (root.equals("/")) {
            return List.of(); // every process is "under" it: nothing to single out
        }
        long self = ProcessHandle.current().pid();
        List<Holder> holders = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != self) {
                    Holder h = holder(proc, pid, root, ids, devices);
                    if (h != null) {
                        holders.add(h);
                    }
                }
            }
        } catch (IOException e) {
            return holders; // /proc unreadable: the caller says nothing was found
        }
        holders.sort(java.util.Comparator.comparingLong(Holder::pid));
        return holders;
    }

    private static Holder holder(Path proc, long pid, String root, Set<Integer> ids, Set<String> devices) {
        List<String> what = new ArrayList<>();
        String cwd = link(proc.resolve("cwd"));
        if (under(cwd, root)) {
            what.add(cwd.equals(root) ? "has its working directory there" : "has its working directory in " + cwd);
        }
        String chroot = link(proc.resolve("root"));
        if (under(chroot, root)) {
            what.add(chroot.equals(root) ? "has its root directory there" : "has its root directory in " + chroot);
        }
        String exe = link(proc.resolve("exe"));
        if (under(exe, root)) {
            what.add("runs " + exe);
        }
        List<String> open = openFiles(proc, root, ids);
        if (!open.isEmpty()) {
            what.add("has " + some(open) + " open");
        }
        List<String> mapped = mappedFiles(proc, root, devices);
        mapped.remove(exe);
        if (!mapped.isEmpty()) {
            what.add("has " + some(mapped) + " mapped");
        }
        if (what.isEmpty()) {
            return null;
        }
        String command;
        try {
            command = Files.readString(proc.resolve("comm")).strip();
        } catch (IOException e) {
            command = "?";
        }
        return new Holder(pid, command, what);
    }

    /**
     * Open descriptors whose path lies under the mountpoint and whose mount
     * (fdinfo's mnt_id) is this one or one inside it: with SOURCE = MOUNTPOINT
     * the server's own descriptors on the directory beneath carry the same
     * path, and do not hold the mount.
     */
    private static List<String> openFiles(Path proc, String root, Set<Integer> ids) {
        List<String> open = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                String target = link(fd);
                if (under(target, root) && onMount(proc.resolve("fdinfo").resolve(fd.getFileName()), ids)
                        && !open.contains(target)) {
                    open.add(target);
                }
            }
        } catch (IOException e) {
            // another user's process (without root), or gone
        }
        return open;
    }

    private static boolean onMount(Path fdinfo, Set<Integer> ids) {
        try {
            for (String line : Files.readAllLines(fdinfo)) {
                if (line.startsWith("mnt_id:")) {
                    return ids.contains(Integer.parseInt(line.substring("mnt_id:".length()).strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // closed meanwhile, or an fdinfo without mnt_id: the path alone decides
        }
        return true;
    }

    /** Mapped files under the mountpoint (libraries, mmap'd data), by path and by the mount's device. */
    private static List<String> mappedFiles(Path proc, String root, Set<String> devices) {
        List<String> mapped = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(proc.resolve("maps"))) {
                // address perms offset dev(hex major:minor) inode path
                String[] f = line.split("\\s+", 6);
                if (f.length == 6 && under(f[5], root) && devices.contains(decimalDevice(f[3]))) {
                    if (!mapped.contains(f[5])) {
                        mapped.add(f[5]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's process (without root), or gone, or a line we do not read
        }
        return mapped;
    }

    /** maps writes the device as hex "major:minor", mountinfo as decimal. */
    static String decimalDevice(String hex) {
        int colon = hex.indexOf(':');
        return Long.parseLong(hex.substring(0, colon), 16) + ":" + Long.parseLong(hex.substring(colon + 1), 16);
    }

    /** One line: the holders named, the mounts inside it, or why nothing was found. */
    static String describe(List<Holder> holders, List<MountEntry> inside, boolean root) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(NAMED, holders.size()); i++) {
            parts.add(holders.get(i).toString());
        }
        if (holders.size() > NAMED) {
            parts.add("and " + (holders.size() - NAMED) + " more processes");
        }
        for (MountEntry m : inside) {
            parts.add("the mount on " + m.mountPoint() + " is inside it");
        }
        if (parts.isEmpty()) {
            return root ? "no process was found holding it (one may have let go just now)"
                    : "none of your processes holds it (run as root to see the other users')";
        }
        return String.join("; ", parts);
    }

    /** The first of several paths, and how many more. */
    private static String some(List<String> paths) {
        return paths.size() == 1 ? paths.get(0) : paths.get(0) + " and " + (paths.size() - 1) + " more";
    }

    /** The target of a /proc link, or null if it cannot be read. */
    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** True if {@code path} (as /proc writes it, maybe with " (deleted)") is {@code root} or below it. */
    static boolean under(String path, String root) {
        if (path == null) {
            return false;
        }
        String p = path.endsWith(DELETED) ? path.substring(0, path.length() - DELETED.length()) : path;
        return p.equals(root) || p.startsWith(root + "/");
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
