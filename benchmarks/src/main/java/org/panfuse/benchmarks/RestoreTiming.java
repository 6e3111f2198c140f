package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Restoring from the {@link CryptFixture}'s backup without panfuse's mount:
 * {@code panfuse restore} against what a gocryptfs user does, mount the backup
 * (gocryptfs -ro, which returns once mounted), {@code cp -a}, unmount. Both timed
 * from the command's start to the last file written, process start-up and key
 * unlocking included; the two take turns, round after round. The first round's
 * restores are compared with the plaintext.
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.RestoreTiming [--rounds N]</pre>
 */
public final class RestoreTiming {
    private RestoreTiming() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 3;
        CryptFixture fixture = CryptFixture.standard();
        Map<String, String> trees = new LinkedHashMap<>();
        trees.put(CryptFixture.BIG, "the 512 MiB file");
        trees.put(CryptFixture.FILES, "10,000 small files (1 B–8 KiB)");
        // tree -> [gocryptfs seconds per round, panfuse seconds per round]
        Map<String, List<List<Double>>> times = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String tree : trees.keySet()) {
                List<List<Double>> t = times.computeIfAbsent(tree, k -> List.of(new ArrayList<>(), new ArrayList<>()));
                t.get(0).add(timed(fixture, tree, false, r == 0));
                t.get(1).add(timed(fixture, tree, true, r == 0));
                System.err.printf(Locale.ROOT, "restore %s, round %d: gocryptfs %.2f s, panfuse %.2f s%n", tree, r + 1,
                        t.get(0).getLast(), t.get(1).getLast());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| restore | gocryptfs -ro + cp -a + unmount | panfuse restore | gocryptfs / panfuse time (min–max) |\n");
        sb.append("|---|---:|---:|---|\n");
        for (var e : times.entrySet()) {
            List<Double> stock = e.getValue().get(0);
            List<Double> ours = e.getValue().get(1);
            List<Double> speedups = new ArrayList<>();
            for (int i = 0; i < stock.size(); i++) {
                speedups.add(stock.get(i) / ours.get(i));
            }
            sb.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f (%.2f–%.2f) |\n", trees.get(e.getKey()),
                    ResultsTable.mean(stock), ResultsTable.mean(ours), ResultsTable.mean(speedups),
                    speedups.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    speedups.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        }
        System.out.print(sb);
    }

    /** Seconds to restore {@code tree} of the backup into a fresh directory, which is removed afterwards. */
    static double timed(CryptFixture fixture, String tree, boolean panfuse, boolean verify) throws IOException {
        Path into = fixture.scratchDirectory("restore-");
        Path mnt = fixture.scratchDirectory("mnt-");
        try {
            String pass = fixture.passfile.toString();
            String backup = fixture.backup.toString();
            long start = System.nanoTime();
            if (panfuse) {
                CryptFixture.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                        Target.panfuseJar().toString(), "restore", "--passfile", pass, backup, "--to", into.toString(),
                        tree));
            } else {
                CryptFixture.run(List.of("gocryptfs", "-ro", "-passfile", pass, backup, mnt.toString()));
                try {
                    CryptFixture.run(List.of("cp", "-a", mnt.resolve(tree).toString(), into + "/"));
                } finally {
                    CryptFixture.run(List.of("fusermount3", "-u", mnt.toString()));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (verify) {
                // diff -r compares contents, file by file; it exits 1 on any difference.
                CryptFixture.run(List.of("diff", "-r", "-q", fixture.plain.resolve(tree).toString(),
                        into.resolve(tree).toString()));
            }
            return seconds;
        } finally {
            CryptFixture.delete(into);
            CryptFixture.delete(mnt);
        }
    }
}
