package org.panfuse.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The three calls with which the background server leaves the terminal and
 * the directory it was started from, as daemon(3) would: setsid(2),
 * dup2(2) and chdir(2). The JVM has none of them, and cannot fork, so the
 * server (already a separate process, started by {@link BackgroundMount})
 * makes them itself.
 */
final class Detach {
    private static final Linker LINKER = Linker.nativeLinker();

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    private static final class SetSid {
        static final MethodHandle H = function("setsid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    private static final class Dup2 {
        static final MethodHandle H = function("dup2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Chdir {
        static final MethodHandle H = function("chdir", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS));
    }

    private Detach() {
    }

    /**
     * A session of its own, without a controlling terminal: the terminal's
     * Ctrl-C and hang-up no longer reach the server. Returns false if the
     * process leads a process group already (then it keeps its session).
     */
    static boolean newSession() {
        try {
            return (int) SetSid.H.invokeExact() >= 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes descriptor {@code target} a copy of {@code source} (stdout onto the log, once readiness is told). */
    static boolean duplicate(int source, int target) {
        try {
            return (int) Dup2.H.invokeExact(source, target) >= 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Moves the process's working directory to "/", so that the server does
     * not keep the directory it was started from busy (that filesystem could
     * not be unmounted). Java's own idea of it (user.dir) is left as it was:
     * call this only once every relative path has been resolved.
     */
    static boolean toRoot() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Chdir.H.invokeExact(arena.allocateFrom("/")) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
