package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The state files' names are what {@code systemd-escape --path} gives (the expected values are its output). */
class SystemdEscapeTest {
    private static void escapes(String path, String expected) {
        assertEquals(expected, SystemdEscape.path(Path.of(path)), path);
    }

    @Test
    void escapesAsSystemdEscapePath() {
        escapes("/", "-");
        escapes("/mnt/x", "mnt-x");
        escapes("/mnt//x/", "mnt-x");
        escapes("/mnt/a-b", "mnt-a\\x2db");
        escapes("/mnt/-x-", "mnt-\\x2dx\\x2d");
        escapes("/mnt/sp ace", "mnt-sp\\x20ace");
        escapes("/mnt/tab\tx", "mnt-tab\\x09x");
        escapes("/mnt/a\\b", "mnt-a\\x5cb");
        escapes("/mnt/a:b_c.d", "mnt-a:b_c.d");
        escapes("/mnt/.dot", "mnt-.dot");
        escapes("/.dot", "\\x2edot");
        escapes("/mnt/ü", "mnt-\\xc3\\xbc");
        escapes("/srv/Ünï/x~y+z", "srv-\\xc3\\x9cn\\xc3\\xaf-x\\x7ey\\x2bz");
        escapes("/dev/shm/panfuse-jar-123/mnt", "dev-shm-panfuse\\x2djar\\x2d123-mnt");
    }

    @Test
    void noTwoMountpointsShareAName() {
        // '-' in a name is escaped, so "/a-b" and "/a/b" differ.
        assertEquals("a-b", SystemdEscape.path(Path.of("/a/b")));
        assertEquals("a\\x2db", SystemdEscape.path(Path.of("/a-b")));
    }
}
