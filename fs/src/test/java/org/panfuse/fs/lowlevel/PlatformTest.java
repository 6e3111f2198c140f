package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bindings' platform guard: x86_64 Linux with glibc passes, anything else is refused in one line. */
class PlatformTest {
    private static final String PREFIX = "panfuse's bindings are for x86_64 Linux with glibc; this is ";

    @Test
    void x86_64LinuxWithGlibcPasses() {
        assertNull(Platform.refusal("Linux", "amd64", true));
        assertNull(Platform.refusal("Linux", "x86_64", true));
    }

    @Test
    void otherArchitecturesAreRefusedByName() {
        for (String arch : new String[] {"aarch64", "arm", "riscv64", "ppc64le", "s390x", "x86", "i386", "loongarch64"}) {
            assertEquals(PREFIX + "Linux on " + arch, Platform.refusal("Linux", arch, true));
        }
    }

    @Test
    void anotherLibcIsRefused() {
        assertEquals(PREFIX + "Linux on amd64 without glibc", Platform.refusal("Linux", "amd64", false));
        assertEquals(PREFIX + "Linux on aarch64 without glibc", Platform.refusal("Linux", "aarch64", false));
    }

    @Test
    void otherSystemsAreRefused() {
        assertEquals(PREFIX + "Mac OS X on aarch64 without glibc", Platform.refusal("Mac OS X", "aarch64", false));
        assertEquals(PREFIX + "Mac OS X on x86_64 without glibc", Platform.refusal("Mac OS X", "x86_64", false));
        assertEquals(PREFIX + "FreeBSD on amd64 without glibc", Platform.refusal("FreeBSD", "amd64", false));
        assertEquals(PREFIX + "Windows 11 on amd64 without glibc", Platform.refusal("Windows 11", "amd64", false));
        assertEquals(PREFIX + "an unknown system on an unknown architecture without glibc",
                Platform.refusal(null, null, false));
    }

    @Test
    void everyRefusalIsOneLine() {
        for (String os : new String[] {"Linux", "Mac OS X", null}) {
            for (String arch : new String[] {"amd64", "aarch64", null}) {
                for (boolean glibc : new boolean[] {true, false}) {
                    String refusal = Platform.refusal(os, arch, glibc);
                    if (refusal != null) {
                        assertEquals(1, refusal.lines().count(), refusal);
                        assertTrue(refusal.startsWith(PREFIX), refusal);
                    }
                }
            }
        }
    }

    /** The machines panfuse is built and tested on (Debian, x86_64) are the supported platform. */
    @Test
    void thisMachineIsSupported() {
        assertTrue(Platform.hasGlibc(), "gnu_get_libc_version not found in the default lookup");
        assertNull(Platform.refusal(System.getProperty("os.name"), System.getProperty("os.arch"), Platform.hasGlibc()));
        assertDoesNotThrow(Platform::require);
    }
}
