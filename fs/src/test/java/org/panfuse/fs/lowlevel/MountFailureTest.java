package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * libfuse says why a mount fails only in its log; that reason reaches the
 * {@link MountException} (through {@link LibFuseLog}, which formats
 * libfuse's printf-style messages natively), on one line.
 */
class MountFailureTest {
    private static final LowLevelFileSystem EMPTY = new LowLevelFileSystem() {
    };

    @Test
    void aMissingMountpointGivesLibfusesReason() throws Exception {
        Path missing = Files.createTempDirectory("panfuse-failure-").resolve("missing");
        try {
            MountException e = assertThrows(MountException.class,
                    () -> FuseMount.mount(EMPTY, missing, MountOptions.defaults()));
            assertTrue(e.reason().contains("failed to access mountpoint " + missing), e.reason());
            assertTrue(e.reason().contains("No such file or directory"), e.reason());
            assertTrue(e.getMessage().startsWith("libfuse could not mount on " + missing + ": "), e.getMessage());
            assertTrue(e.getMessage().endsWith(e.reason()), e.getMessage());
            assertOneLine(e.getMessage());
        } finally {
            Files.delete(missing.getParent());
        }
    }

    /** libfuse writes this one in pieces (its list of options), which make one line. */
    @Test
    void anUnknownOptionGivesLibfusesReason() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-failure-");
        try {
            MountException e = assertThrows(MountException.class, () -> FuseMount.mount(EMPTY, mnt,
                    MountOptions.defaults().withMountOption("no_such_option_for_panfuse")));
            assertTrue(e.reason().contains("unknown option"), e.reason());
            assertTrue(e.reason().contains("no_such_option_for_panfuse"), e.reason());
            assertTrue(e.getMessage().startsWith("libfuse could not create a session"), e.getMessage());
            assertOneLine(e.getMessage());
        } finally {
            Files.delete(mnt);
        }
    }

    /** Longer than the first formatting buffer: formatted again, whole. */
    @Test
    void aLongReasonIsKeptWhole() throws Exception {
        Path base = Files.createTempDirectory("panfuse-failure-");
        Path missing = base.resolve("m".repeat(200)).resolve("n".repeat(200)).resolve("o".repeat(200))
                .resolve("p".repeat(200)).resolve("q".repeat(200)).resolve("r".repeat(200));
        try {
            MountException e = assertThrows(MountException.class,
                    () -> FuseMount.mount(EMPTY, missing, MountOptions.defaults()));
            assertTrue(e.reason().contains(missing + ": No such file or directory"), e.reason());
        } finally {
            Files.delete(base);
        }
    }

    /** Nothing of a failed attempt stays behind on the thread: the next mount works and says nothing. */
    @Test
    void aMountAfterAFailureWorks() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-failure-");
        try {
            assertThrows(MountException.class, () -> FuseMount.mount(EMPTY, mnt.resolve("missing"),
                    MountOptions.defaults()));
            try (FuseMount mount = FuseMount.mount(EMPTY, mnt, MountOptions.defaults())) {
                assertTrue(mount.isServing());
            }
        } finally {
            Files.delete(mnt);
        }
    }

    @Test
    void aMessageWithoutReasonIsTheDescription() {
        MountException e = new MountException("it failed");
        assertEquals("it failed", e.getMessage());
        assertEquals("", e.reason());
        assertFalse(new MountException("it failed", "because").getMessage().equals("it failed"));
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), message);
    }
}
