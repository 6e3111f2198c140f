package org.panfuse.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The background server's exit status, which nobody but its parent could
 * see: the server's parent (the command) exits once the mount serves, and
 * an orphan goes to the nearest "child subreaper" among its ancestors. The
 * test JVM makes itself one (prctl PR_SET_CHILD_SUBREAPER), so the server,
 * started by any chain of processes below it (mount, mount.fuse3, sh, the
 * command), becomes its child, and waitpid(2) tells how it ended.
 */
final class Reaper {
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle PRCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("prctl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle WAITPID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("waitpid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Reaper() {
    }

    /** Makes this JVM the subreaper of every process started below it from now on. */
    static void becomeSubreaper() throws Throwable {
        int r = (int) PRCTL.invokeExact(PR_SET_CHILD_SUBREAPER, 1L);
        if (r != 0) {
            throw new IllegalStateException("prctl(PR_SET_CHILD_SUBREAPER) failed");
        }
    }

    /**
     * Waits up to {@code timeout} for the adopted process {@code pid} to end
     * and returns its exit status (128 + N if a signal N ended it).
     */
    static int awaitExit(long pid, Duration timeout) throws Throwable {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            while (true) {
                int r = (int) WAITPID.invokeExact((int) pid, status, WNOHANG);
                if (r == pid) {
                    int s = status.get(ValueLayout.JAVA_INT, 0);
                    return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
                }
                if (r < 0) {
                    throw new AssertionError("process " + pid + " is not a child of the test JVM (not adopted)");
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("process " + pid + " still running after " + timeout);
                }
                Thread.sleep(20);
            }
        }
    }

    /** The pids of background servers whose command line names {@code mountpoint}. */
    static List<Long> servers(Path mountpoint) throws Exception {
        List<Long> pids = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                byte[] raw;
                try {
                    raw = Files.readAllBytes(p.resolve("cmdline"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                List<String> args = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
                if (args.stream().anyMatch(a -> a.startsWith(BackgroundMount.CHILD_OPTION + "="))
                        && args.contains(mountpoint.toString())) {
                    pids.add(Long.parseLong(p.getFileName().toString()));
                }
            }
        }
        return pids;
    }

    /** The one background server serving {@code mountpoint}. */
    static long server(Path mountpoint) throws Exception {
        List<Long> pids = servers(mountpoint);
        if (pids.size() != 1) {
            throw new AssertionError("expected one server for " + mountpoint + ", found " + pids);
        }
        return pids.get(0);
    }

    /** The session a process belongs to (field 6 of /proc/PID/stat). */
    static long session(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
