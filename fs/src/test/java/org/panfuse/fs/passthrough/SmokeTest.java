package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

class SmokeTest {
    @Test
    void readsAndWrites() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(), MountOptions.defaults().withDebug(true))) {
            Files.writeString(m.src("a.txt"), "hello\n");
            assertEquals("hello\n", Files.readString(m.mnt("a.txt")));
            Files.writeString(m.mnt("b.txt"), "world\n");
            assertEquals("world\n", Files.readString(m.src("b.txt")));
        }
    }
}
