package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mountinfo lines as the kernel writes them, escapes and optional fields included. */
class MountEntryTest {
    private static final String PANFUSE = "57 30 0:52 / /mnt/my\\040data rw,nosuid,nodev,relatime shared:290 - "
            + "fuse.panfuse /srv/data\\134x rw,user_id=0,group_id=0,default_permissions";

    @Test
    void readsTheFieldsAndUnescapesThem() {
        MountEntry m = MountEntry.parse(PANFUSE);
        assertEquals(57, m.id());
        assertEquals("0:52", m.device());
        assertEquals(Path.of("/mnt/my data"), m.mountPoint());
        assertEquals("fuse.panfuse", m.type());
        assertEquals("/srv/data\\x", m.source());
        assertTrue(m.isPanfuse());
        assertFalse(m.readOnly());
        assertEquals(0, m.userId());
        assertEquals(-1, MountEntry.parse("64 30 0:57 / /a rw - tmpfs tmpfs rw").userId());
        assertEquals(1000, MountEntry.parse("65 30 0:58 / /a rw - fuse.panfuse /s rw,user_id=1000,group_id=1000")
                .userId());
    }

    @Test
    void noOptionalFieldsAndReadOnlyViews() {
        MountEntry m = MountEntry.parse("60 30 0:53 / /mnt/enc ro,nosuid,nodev - fuse.panfuse-encrypt /srv rw");
        assertEquals(Path.of("/mnt/enc"), m.mountPoint());
        assertTrue(m.isPanfuse());
        assertTrue(m.readOnly());
        assertTrue(MountEntry.parse("61 30 0:54 / /a rw - fuse.panfuse-decrypt /b rw").isPanfuse());
        assertFalse(MountEntry.parse("62 30 0:55 / /a rw - fuse.sshfs host: rw").isPanfuse());
        assertFalse(MountEntry.parse("63 30 0:56 / /a rw - fuse.panfuser x rw").isPanfuse());
        assertFalse(MountEntry.parse("64 30 0:57 / /a rw - tmpfs tmpfs rw").isPanfuse());
    }

    @Test
    void utf8AndNewlinesInPaths() {
        MountEntry m = MountEntry.parse("57 30 0:52 / /mnt/\u00fc\\012x rw - fuse.panfuse /s rw");
        assertEquals(Path.of("/mnt/\u00fc\nx"), m.mountPoint());
        assertEquals("/end\\", MountEntry.unescape("/end\\"));
        assertEquals("/end ", MountEntry.unescape("/end\\040"));
    }

    @Test
    void linesOfAnotherShapeAreSkipped() {
        assertNull(MountEntry.parse(""));
        assertNull(MountEntry.parse("57 30 0:52 / /mnt rw"));
        assertNull(MountEntry.parse("x 30 0:52 / /mnt rw - tmpfs tmpfs rw"));
    }

    @Test
    void theTopMountAndTheMountsBelow() {
        List<MountEntry> all = List.of(
                MountEntry.parse("1 0 0:1 / / rw - ext4 /dev/sda rw"),
                MountEntry.parse("2 1 0:2 / /mnt/x rw - tmpfs tmpfs rw"),
                MountEntry.parse("3 2 0:3 / /mnt/x rw - fuse.panfuse /s rw"),
                MountEntry.parse("4 3 0:4 / /mnt/x/sub rw - tmpfs tmpfs rw"),
                MountEntry.parse("5 1 0:5 / /mnt/xy rw - tmpfs tmpfs rw"));
        assertEquals(3, MountEntry.on(all, Path.of("/mnt/x")).id());
        assertNull(MountEntry.on(all, Path.of("/mnt")));
        assertEquals(List.of(all.get(3)), MountEntry.below(all, Path.of("/mnt/x")));
    }
}
