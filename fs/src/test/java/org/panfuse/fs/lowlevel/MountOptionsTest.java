package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fluent settings make the -o string libfuse is given. */
class MountOptionsTest {

    @Test
    void settingsMakeTheOptionString() {
        MountOptions o = MountOptions.defaults().withFsName("src,dir").withSubtype("demo").withReadOnly(true)
                .withAllowOther(true).withDefaultPermissions(true).withMountOption("noatime")
                .withMountOption("max_read=131072").withMountOption("noatime");
        assertEquals("fsname=src\\,dir,subtype=demo,ro,allow_other,default_permissions,noatime,max_read=131072",
                o.optionString());
        assertEquals(List.of("noatime", "max_read=131072"), o.mountOptions());
    }

    @Test
    void autoUnmountIsOneOptionThatCanBeTakenBack() {
        MountOptions on = MountOptions.defaults().withMountOption("noatime").withAutoUnmount(true).withAutoUnmount(true);
        assertEquals(List.of("noatime", "auto_unmount"), on.mountOptions());
        assertEquals(List.of("noatime"), on.withAutoUnmount(false).mountOptions());
    }

    @Test
    void optionsWithSettingsOfTheirOwnAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MountOptions.defaults().withMountOption("ro"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.defaults().withMountOption("a,b"));
        assertThrows(IllegalArgumentException.class, () -> MountOptions.defaults().withMountOption(""));
    }

    /** auto_unmount mounts through fusermount3 even as root; close() still unmounts. */
    @Test
    void anAutoUnmountMountServesAndCloses() throws Exception {
        Path mnt = Files.createTempDirectory("panfuse-options-");
        try {
            try (FuseMount mount = FuseMount.mount(new LowLevelFileSystem() {
            }, mnt, MountOptions.defaults().withAutoUnmount(true))) {
                assertTrue(mount.isServing());
                assertTrue(Files.readString(Path.of("/proc/self/mounts")).contains(" " + mnt + " fuse.panfuse "));
            }
            assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains(" " + mnt + " "));
        } finally {
            Files.delete(mnt);
        }
    }
}
