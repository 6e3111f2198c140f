package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Time from {@code java -jar panfuse.jar mount} to a mount that answers
 * stat, as a user waits for it: plain, and with a dynamic AppCDS archive
 * (-XX:+AutoCreateSharedArchive, made by the first run and reused after).
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.StartupTime [runs]</pre>
 */
public final class StartupTime {
    private StartupTime() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path archive = Files.createTempDirectory("panfuse-cds-").resolve("panfuse.jsa");
        String plain = summary(measure(runs, ""));
        // The first run writes the archive; it is not counted.
        String cdsArgs = "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + archive;
        measure(1, cdsArgs);
        String cds = summary(measure(runs, cdsArgs));
        System.out.println("| start-up to a mount that answers stat | median | min | max |");
        System.out.println("|---|---:|---:|---:|");
        System.out.println("| java -jar panfuse.jar mount | " + plain + " |");
        System.out.println("| same, with -XX:+AutoCreateSharedArchive (AppCDS) | " + cds + " |");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(archive.getParent());
    }

    static List<Double> measure(int runs, String jvmArgs) throws IOException, InterruptedException {
        System.setProperty("panfuse.bench.jvmArgs", jvmArgs);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Workspace ws = Workspace.create()) {
                Files.writeString(ws.source.resolve("probe"), "x");
                Path probe = ws.mountpoint.resolve("probe");
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(Target.PANFUSE.command(Setting.DEFAULT, ws.source, ws.mountpoint))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    while (!Files.exists(probe)) { // a stat of the probe through the mount
                        if (!p.isAlive()) {
                            throw new IOException("panfuse exited " + p.exitValue());
                        }
                        Thread.onSpinWait();
                    }
                    millis.add((System.nanoTime() - t0) / 1e6);
                } finally {
                    p.destroy();
                    p.waitFor();
                }
            }
        }
        return millis;
    }

    static String summary(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        return String.format(Locale.ROOT, "%.0f ms | %.0f ms | %.0f ms", median, sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
