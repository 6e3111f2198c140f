package org.panfuse.bindings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles src/test/c/abi_probe.c with the system C compiler against
 * native-headers/panfuse.h and libfuse3, runs it, and returns its key=value
 * lines: the C compiler's view of the ABI the bindings claim to describe.
 */
final class AbiProbe {
    private static Map<String, String> values;

    private AbiProbe() {
    }

    static synchronized Map<String, String> values() throws IOException, InterruptedException {
        if (values == null) {
            values = compileAndRun();
        }
        return values;
    }

    private static Map<String, String> compileAndRun() throws IOException, InterruptedException {
        Path module = Path.of("").toAbsolutePath();
        Path source = module.resolve("src/test/c/abi_probe.c");
        Path headers = module.resolve("../native-headers").normalize();
        Path binary = module.resolve("target/abi_probe");
        Files.createDirectories(binary.getParent());
        run(List.of("cc", "-Wall", "-Werror", "-I", headers.toString(), "-o", binary.toString(),
                source.toString(), "-lfuse3"));
        String out = run(List.of(binary.toString()));
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                parsed.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return parsed;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }
}
