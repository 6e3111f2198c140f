package org.panfuse.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real calls into the installed libfuse3 through the generated bindings, without mounting. */
class LibfuseThroughBindingsTest {

    @Test
    void pkgversionIsTheInstalledLibfuse() throws Exception {
        String version = panfuse_h.fuse_pkgversion().getString(0);
        assertEquals(AbiProbe.values().get("fuse_pkgversion"), version);
        assertTrue(version.startsWith("3."), version);
    }

    @Test
    void upcallStubInOpsIsCallableAndSessionIsCreatedAndDestroyed() {
        AtomicReference<MemorySegment> seenUserdata = new AtomicReference<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ops = fuse_lowlevel_ops.allocate(arena);
            MemorySegment initStub = fuse_lowlevel_ops.init.allocate(
                    (userdata, conn) -> seenUserdata.set(userdata), arena);
            fuse_lowlevel_ops.init(ops, initStub);

            // The stub read back from the struct is a real native function pointer:
            // calling it as C would lands in our Java lambda.
            MemorySegment marker = MemorySegment.ofAddress(0xC0FFEE);
            fuse_lowlevel_ops.init.invoke(fuse_lowlevel_ops.init(ops), marker, MemorySegment.NULL);
            assertEquals(0xC0FFEE, seenUserdata.get().address());

            MemorySegment args = fuse_args.allocate(arena);
            assertEquals(0, panfuse_h.fuse_opt_add_arg(args, arena.allocateFrom("panfuse-test")));
            MemorySegment session = panfuse_h.fuse_session_new(args, ops, fuse_lowlevel_ops.sizeof(), MemorySegment.NULL);
            try {
                assertFalse(session.equals(MemorySegment.NULL), "fuse_session_new returned NULL");
                // Not mounted yet: the session has no /dev/fuse descriptor.
                assertEquals(-1, panfuse_h.fuse_session_fd(session));
            } finally {
                panfuse_h.fuse_session_destroy(session);
                panfuse_h.fuse_opt_free_args(args);
            }
        }
    }
}
