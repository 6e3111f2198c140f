package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.bindings.fuse_log_func_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * libfuse's own messages (bad mount point, unknown option, ...) through SLF4J
 * instead of stderr: its log function, {@code fuse_set_log_func}, is pointed
 * at an upcall once per process, and each message is formatted by libc's
 * {@code vsnprintf} (a {@code va_list} cannot be read from Java).
 *
 * <p>A mount attempt {@linkplain #capture() captures} what libfuse says on its
 * thread, so that a failure can carry libfuse's reason in its exception.
 */
final class LibFuseLog {
    /** The logger libfuse's messages go to. */
    static final String LOGGER = "org.panfuse.fs.lowlevel.libfuse";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Enough for every message libfuse 3.14 writes but a long path; longer ones are formatted twice. */
    private static final int FIRST_TRY = 1024;
    /** Message bytes kept at most: beyond this a message is cut (a path cannot be longer than 4096). */
    private static final int LONGEST = 64 * 1024;
    /**
     * The size of a va_list on x86_64 (struct __va_list_tag: two ints and two pointers), copied
     * before formatting because formatting consumes it: the copy is what a second, longer try
     * formats (what va_copy does there). Elsewhere the first try's cut message stands.
     */
    private static final long VA_LIST_BYTES = 24;
    private static final boolean COPY_VA_LIST = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));

    /** int vsnprintf(char *str, size_t size, const char *format, va_list ap): va_list is a pointer here. */
    private static final MethodHandle VSNPRINTF = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("vsnprintf").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    /** libfuse writes some messages in pieces (its "unknown option(s)" list): a line ends at '\n'. */
    private static final ThreadLocal<Pending> PENDING = ThreadLocal.withInitial(Pending::new);
    /** The capture of a mount attempt on this thread, or null. */
    private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();

    private static volatile boolean installed;

    private LibFuseLog() {
    }

    /**
     * Points libfuse's log function at SLF4J, once per process (the function
     * is global to libfuse). Its upcall stub lives in the global arena: it
     * must outlive every libfuse thread. Idempotent; call after
     * {@link LibFuse#require()}.
     */
    static void install() {
        if (installed) {
            return;
        }
        synchronized (LibFuseLog.class) {
            if (!installed) {
                fuse_set_log_func(fuse_log_func_t.allocate(LibFuseLog::log, Arena.global()));
                installed = true;
            }
        }
    }

    /**
     * Starts collecting libfuse's messages on this thread, until the
     * capture is closed. Nested captures are not supported: the inner one
     * replaces the outer.
     */
    static Capture capture() {
        Capture c = new Capture();
        CAPTURE.set(c);
        return c;
    }

    /** The upcall: never lets anything reach native code. */
    private static void log(int level, MemorySegment fmt, MemorySegment ap) {
        try {
            String text = format(fmt, ap);
            Pending pending = PENDING.get();
            if (pending.text.isEmpty()) {
                pending.level = level;
            }
            pending.text.append(text);
            int newline;
            while ((newline = pending.text.indexOf("\n")) >= 0) {
                String line = pending.text.substring(0, newline);
                pending.text.delete(0, newline + 1);
                emit(pending.level, line);
            }
        } catch (Throwable t) {
            // Nothing may propagate into libfuse; a lost message is all that happens.
        }
    }

    private static String format(MemorySegment fmt, MemorySegment ap) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = MemorySegment.NULL;
            if (COPY_VA_LIST) {
                copy = arena.allocate(VA_LIST_BYTES, 8);
                copy.copyFrom(ap.reinterpret(VA_LIST_BYTES));
            }
            MemorySegment buf = arena.allocate(FIRST_TRY);
            int n = (int) VSNPRINTF.invokeExact(buf, (long) FIRST_TRY, fmt, ap);
            if (n < 0) {
                return fmt.reinterpret(LONGEST).getString(0);
            }
            if (n >= FIRST_TRY && COPY_VA_LIST) {
                long size = Math.min(n + 1L, LONGEST);
                buf = arena.allocate(size);
                int ignored = (int) VSNPRINTF.invokeExact(buf, size, fmt, copy);
            }
            return buf.getString(0);
        }
    }

    private static void emit(int level, String line) {
        Capture c = CAPTURE.get();
        if (c != null) {
            c.lines.add(line);
            c.levels.add(level);
            return;
        }
        LOG.atLevel(slf4jLevel(level)).log(line);
    }

    /** EMERG..ERR: error; WARNING: warn; NOTICE, INFO: info; DEBUG: debug. */
    static Level slf4jLevel(int level) {
        if (level <= FUSE_LOG_ERR()) {
            return Level.ERROR;
        }
        if (level == FUSE_LOG_WARNING()) {
            return Level.WARN;
        }
        return level == FUSE_LOG_DEBUG() ? Level.DEBUG : Level.INFO;
    }

    /** A line still without its '\n', and the level of its first piece. */
    private static final class Pending {
        final StringBuilder text = new StringBuilder();
        int level;
    }

    /**
     * What libfuse said on one thread during a mount attempt. On
     * {@link #close()} the messages go to the log at their own levels, unless
     * {@link #reason()} was taken for an exception: then they travel there,
     * and are logged at debug only.
     */
    static final class Capture implements AutoCloseable {
        private final List<String> lines = new ArrayList<>();
        private final List<Integer> levels = new ArrayList<>();
        private boolean taken;

        private Capture() {
        }

        /** The messages so far, one line ("; " between messages); empty if libfuse said nothing. */
        String reason() {
            flushPartial();
            taken = true;
            return String.join("; ", lines).strip();
        }

        /** Stops collecting on this thread and logs what was collected (see the class comment). */
        @Override
        public void close() {
            flushPartial();
            if (CAPTURE.get() == this) {
                CAPTURE.remove();
            }
            for (int i = 0; i < lines.size(); i++) {
                LOG.atLevel(taken ? Level.DEBUG : slf4jLevel(levels.get(i))).log(lines.get(i));
            }
            lines.clear();
            levels.clear();
        }

        /** A message libfuse left without its '\n' still belongs to this attempt. */
        private void flushPartial() {
            Pending pending = PENDING.get();
            if (!pending.text.isEmpty() && CAPTURE.get() == this) {
                lines.add(pending.text.toString());
                levels.add(pending.level);
                pending.text.setLength(0);
            }
        }
    }
}
