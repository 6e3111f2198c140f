package org.panfuse.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountOptions;

/** The hello-world filesystem, mounted: one file with its words, nothing else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HelloFsTest {
    @TempDir
    Path mnt;

    @Test
    void saysHello() throws Exception {
        try (FuseMount mount = FuseMount.mount(new HelloFs(), mnt, MountOptions.defaults().withReadOnly(true))) {
            try (Stream<Path> s = Files.list(mnt)) {
                assertEquals(List.of(mnt.resolve("hello.txt")), s.toList());
            }
            assertEquals("Hello, world!\n", Files.readString(mnt.resolve("hello.txt")));
            assertEquals(14, Files.size(mnt.resolve("hello.txt")));
            assertEquals("r--r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(mnt.resolve("hello.txt"))));
            assertEquals(false, Files.exists(mnt.resolve("nothing")));
        }
    }
}
