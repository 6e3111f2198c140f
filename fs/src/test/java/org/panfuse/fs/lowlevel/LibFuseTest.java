package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibFuseTest {

    @Test
    void requireReturnsTheInstalledVersion() throws Exception {
        // fusermount3 ships in the same package as the library and prints its version.
        String fusermount = run(List.of("fusermount3", "--version")).output();
        assertTrue(fusermount.contains(LibFuse.require()), fusermount + " vs " + LibFuse.require());
    }

    /**
     * Hides libfuse from a child JVM (a private mount namespace with /dev/null
     * bound over the library file) and checks the one-line message.
     */
    @Test
    void missingLibfuseNamesThePackageToInstall() throws Exception {
        Path library = Path.of("/usr/lib/x86_64-linux-gnu", LibFuse.SONAME).toRealPath();
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Arguments travel as "$@", so no shell quoting meets the class name's '$'.
        Result r = run(List.of("unshare", "--mount", "sh", "-c", "mount --bind /dev/null \"$1\" && shift && exec \"$@\"",
                "sh", library.toString(), java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), MissingLibFuseMain.class.getName()));
        assertEquals(3, r.exit(), r.output());
        assertTrue(r.output().startsWith("libfuse 3 is not installed"), r.output());
        assertTrue(r.output().contains("apt-get install fuse3"), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** The child: prints the exception's message and exits 3, or exits 0 if libfuse loaded. */
    public static final class MissingLibFuseMain {
        public static void main(String[] args) {
            try {
                LibFuse.require();
            } catch (LibFuseUnavailableException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
