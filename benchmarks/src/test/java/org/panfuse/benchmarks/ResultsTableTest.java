package org.panfuse.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {
    private static final String HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
            + "\"Unit\",\"Param: setting\",\"Param: target\"\n";

    @Test
    void averagesRoundsAndPairsRatiosPerRound(@TempDir Path dir) throws Exception {
        Path r1 = Files.writeString(dir.resolve("r1-uncached-panfuse.csv"), HEADER
                + "\"org.panfuse.benchmarks.FsBenchmarks.statExisting\",\"thrpt\",1,3,200.0,NaN,\"ops/s\",uncached,panfuse\n");
        Path r1hp = Files.writeString(dir.resolve("r1-uncached-passthrough_hp.csv"), HEADER
                + "\"org.panfuse.benchmarks.FsBenchmarks.statExisting\",\"thrpt\",1,3,100.0,NaN,\"ops/s\",uncached,passthrough_hp\n");
        Path r2 = Files.writeString(dir.resolve("r2-uncached-panfuse.csv"), HEADER
                + "\"org.panfuse.benchmarks.FsBenchmarks.statExisting\",\"thrpt\",1,3,300.0,NaN,\"ops/s\",uncached,panfuse\n");
        Path r2hp = Files.writeString(dir.resolve("r2-uncached-passthrough_hp.csv"), HEADER
                + "\"org.panfuse.benchmarks.FsBenchmarks.statExisting\",\"thrpt\",1,3,100.0,NaN,\"ops/s\",uncached,passthrough_hp\n");
        List<ResultsTable.Score> scores = new ArrayList<>();
        for (Path p : List.of(r1, r1hp, r2, r2hp)) {
            scores.addAll(ResultsTable.parse(p));
        }
        String table = ResultsTable.render(scores);
        assertTrue(table.contains("| workload | setting | unit | passthrough_hp | panfuse |\n"), table);
        assertTrue(table.contains("| statExisting | uncached | ops/s | 100 | 250 |\n"), table);
        assertTrue(table.contains("| workload | setting | panfuse / hp 3.14 |\n"), table);
        assertTrue(table.contains("| statExisting | uncached | 2.50 (2.00–3.00) |\n"), table);

        Path results = Files.writeString(dir.resolve("RESULTS.md"), "# Results\nbefore\n" + ResultsTable.BEGIN + "\nold\n"
                + ResultsTable.END + "\nafter\n");
        ResultsTable.replaceBetweenMarkers(results, ResultsTable.BEGIN, ResultsTable.END, table);
        String text = Files.readString(results);
        assertTrue(text.startsWith("# Results\nbefore\n" + ResultsTable.BEGIN + "\n| workload"), text);
        assertTrue(text.endsWith(ResultsTable.END + "\nafter\n"), text);
        assertEquals(-1, text.indexOf("old"));
    }

    @Test
    void ratiosOfBothPanfuseModesToBareAndBothPassthroughHps(@TempDir Path dir) throws Exception {
        String bench = "\"org.panfuse.benchmarks.FsBenchmarks.sequentialRead1MiB\",\"thrpt\",1,3,";
        String[][] rows = {{"r1", "bare", "1000.0"}, {"r1", "passthrough_ll", "100.0"}, {"r1", "passthrough_hp", "400.0"},
            {"r1", "passthrough_hp_318", "800.0"}, {"r1", "panfuse", "900.0"}, {"r1", "panfuse_never", "400.0"},
            {"r2", "bare", "1000.0"}, {"r2", "passthrough_ll", "100.0"}, {"r2", "passthrough_hp", "500.0"},
            {"r2", "passthrough_hp_318", "1000.0"}, {"r2", "panfuse", "1100.0"}, {"r2", "panfuse_never", "600.0"}};
        List<ResultsTable.Score> scores = new ArrayList<>();
        for (String[] r : rows) {
            scores.addAll(ResultsTable.parse(Files.writeString(dir.resolve(r[0] + "-uncached-" + r[1] + ".csv"),
                    HEADER + bench + r[2] + ",NaN,\"ops/s\",uncached," + r[1] + "\n")));
        }
        String table = ResultsTable.render(scores);
        assertTrue(table.contains("| workload | setting | unit | bare | passthrough_ll | passthrough_hp | passthrough_hp_318"
                + " | panfuse | panfuse_never |\n"), table);
        assertTrue(table.contains("| sequentialRead1MiB | uncached | MiB/s | 1,000 | 100 | 450 | 900 | 1,000 | 500 |\n"), table);
        assertTrue(table.contains("| workload | setting | panfuse / bare | panfuse / hp 3.14 | panfuse / hp 3.18"
                + " | panfuse never / bare | panfuse never / hp 3.14 | panfuse never / hp 3.18 |\n"), table);
        assertTrue(table.contains("| sequentialRead1MiB | uncached | 1.00 (0.90–1.10) | 2.23 (2.20–2.25) | 1.11 (1.10–1.13)"
                + " | 0.50 (0.40–0.60) | 1.10 (1.00–1.20) | 0.55 (0.50–0.60) |\n"), table);
    }

    @Test
    void encryptedTablePairsEachPanfuseViewWithItsGocryptfs(@TempDir Path dir) throws Exception {
        String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                + "\"Param: target\"\n";
        String bench = "\"org.panfuse.benchmarks.EncryptedViewBenchmarks.sequentialRead1MiB\",\"thrpt\",1,3,";
        List<ResultsTable.Score> scores = new ArrayList<>();
        String[][] rows = {{"r1", "gocryptfs_reverse", "100.0"}, {"r1", "panfuse_encrypt", "400.0"},
            {"r2", "gocryptfs_reverse", "100.0"}, {"r2", "panfuse_encrypt", "600.0"},
            {"r1", "gocryptfs_forward", "100.0"}, {"r1", "panfuse_decrypt", "300.0"}};
        for (String[] r : rows) {
            scores.addAll(ResultsTable.parse(Files.writeString(dir.resolve(r[0] + "-" + r[1] + ".csv"),
                    header + bench + r[2] + ",NaN,\"ops/s\"," + r[1] + "\n")));
        }
        String table = EncryptedTable.render(scores);
        assertTrue(table.contains("| sequentialRead1MiB | encrypt (vs -reverse) | MiB/s | 100 | 500 | 5.00 (4.00–6.00) | ≥ 10 |"),
                table);
        assertTrue(table.contains("| sequentialRead1MiB | decrypt (vs -ro) | MiB/s | 100 | 300 | 3.00 | – |"), table);
    }
}
