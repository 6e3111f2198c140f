package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panfuse.bindings.panfuse_h.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.panfuse.bindings.fuse_args;
import org.panfuse.bindings.fuse_lowlevel_ops;
import org.slf4j.event.Level;

/** libfuse's messages reach SLF4J, formatted, whole lines, at the matching level. */
class LibFuseLogTest {

    /**
     * A libfuse call outside any mount attempt: its message (written by
     * libfuse in three pieces) is one line of the "libfuse" logger, and
     * nothing of it goes to the process's native stderr (slf4j-simple writes
     * to System.err, caught here; libfuse's own default would write to fd 2).
     */
    @Test
    void libfusesMessagesGoToTheLogger() {
        LibFuse.require();
        LibFuseLog.install();
        PrintStream original = System.err;
        ByteArrayOutputStream caught = new ByteArrayOutputStream();
        System.setErr(new PrintStream(caught, true, StandardCharsets.UTF_8));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = fuse_args.allocate(arena);
            args.fill((byte) 0);
            for (String arg : new String[] {"panfuse", "-o", "no_such_option_here"}) {
                assertEquals(0, fuse_opt_add_arg(args, arena.allocateFrom(arg)));
            }
            MemorySegment ops = fuse_lowlevel_ops.allocate(arena);
            ops.fill((byte) 0);
            MemorySegment session = fuse_session_new(args, ops, fuse_lowlevel_ops.sizeof(), MemorySegment.NULL);
            fuse_opt_free_args(args);
            assertEquals(MemorySegment.NULL, session);
        } finally {
            System.setErr(original);
        }
        String logged = caught.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("ERROR libfuse - fuse: unknown option(s): `-o no_such_option_here'"), logged);
        assertEquals(1, logged.lines().count(), logged);
    }

    @Test
    void levelsMapToSlf4j() {
        assertEquals(Level.ERROR, LibFuseLog.slf4jLevel(FUSE_LOG_EMERG()));
        assertEquals(Level.ERROR, LibFuseLog.slf4jLevel(FUSE_LOG_ALERT()));
        assertEquals(Level.ERROR, LibFuseLog.slf4jLevel(FUSE_LOG_CRIT()));
        assertEquals(Level.ERROR, LibFuseLog.slf4jLevel(FUSE_LOG_ERR()));
        assertEquals(Level.WARN, LibFuseLog.slf4jLevel(FUSE_LOG_WARNING()));
        assertEquals(Level.INFO, LibFuseLog.slf4jLevel(FUSE_LOG_NOTICE()));
        assertEquals(Level.INFO, LibFuseLog.slf4jLevel(FUSE_LOG_INFO()));
        assertEquals(Level.DEBUG, LibFuseLog.slf4jLevel(FUSE_LOG_DEBUG()));
    }
}
