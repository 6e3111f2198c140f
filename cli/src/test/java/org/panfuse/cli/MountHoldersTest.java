package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line that says what holds a busy mount. */
class MountHoldersTest {
    @Test
    void namesFourProcessesThenCounts() {
        List<MountHolders.Holder> six = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            six.add(new MountHolders.Holder(i, "p" + i, List.of("has its working directory there")));
        }
        assertEquals("pid 1 (p1) has its working directory there; pid 2 (p2) has its working directory there; "
                + "pid 3 (p3) has its working directory there; pid 4 (p4) has its working directory there; "
                + "and 2 more processes", MountHolders.describe(six, List.of(), true));
    }

    @Test
    void severalThingsOfOneProcessAndMountsInside() {
        var h = new MountHolders.Holder(7, "vim", List.of("has its working directory in /m/a", "has /m/a/f open"));
        var inside = MountEntry.parse("9 1 0:9 / /m/sub rw - tmpfs tmpfs rw");
        assertEquals("pid 7 (vim) has its working directory in /m/a and has /m/a/f open; the mount on /m/sub is "
                + "inside it", MountHolders.describe(List.of(h), List.of(inside), true));
    }

    @Test
    void nothingFoundSaysWhy() {
        assertEquals("no process was found holding it (one may have let go just now)",
                MountHolders.describe(List.of(), List.of(), true));
        assertTrue(MountHolders.describe(List.of(), List.of(), false).contains("run as root"));
    }

    @Test
    void pathsUnderTheMountpointAndDevices() {
        assertTrue(MountHolders.under("/mnt/x", "/mnt/x"));
        assertTrue(MountHolders.under("/mnt/x/f (deleted)", "/mnt/x"));
        assertFalse(MountHolders.under("/mnt/xy", "/mnt/x"));
        assertFalse(MountHolders.under("socket:[123]", "/mnt/x"));
        assertFalse(MountHolders.under(null, "/mnt/x"));
        assertEquals("0:57", MountHolders.decimalDevice("00:39"));
        assertEquals("259:1", MountHolders.decimalDevice("103:01"));
    }
}
