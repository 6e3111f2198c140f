package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FileInfo's hand-kept bitfield masks agree with the C compiler's layout of struct fuse_file_info. */
class FileInfoBitsTest {

    @Test
    void masksMatchTheCCompiler() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path binary = module.resolve("target/fileinfo_bits");
        Files.createDirectories(binary.getParent());
        run(List.of("cc", "-Wall", "-Werror", "-I", module.resolve("../native-headers").normalize().toString(),
                "-o", binary.toString(), module.resolve("src/test/c/fileinfo_bits.c").toString()));
        Map<String, Integer> c = new HashMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            String[] kv = line.split("=");
            c.put(kv[0], Integer.parseInt(kv[1]));
        }
        assertEquals(8, c.size(), c.toString());
        assertEquals(c.get("writepage"), FileInfo.WRITEPAGE);
        assertEquals(c.get("direct_io"), FileInfo.DIRECT_IO);
        assertEquals(c.get("keep_cache"), FileInfo.KEEP_CACHE);
        assertEquals(c.get("flush"), FileInfo.FLUSH);
        assertEquals(c.get("nonseekable"), FileInfo.NONSEEKABLE);
        assertEquals(c.get("flock_release"), FileInfo.FLOCK_RELEASE);
        assertEquals(c.get("cache_readdir"), FileInfo.CACHE_READDIR);
        assertEquals(c.get("noflush"), FileInfo.NOFLUSH);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
