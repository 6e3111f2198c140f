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
        assertTrue(table.contains("| statExisting | uncached | ops/s | – | – | 100 | 250 | 2.50 (2.00–3.00) |"), table);

        Path results = Files.writeString(dir.resolve("RESULTS.md"), "# Results\nbefore\n" + ResultsTable.BEGIN + "\nold\n"
                + ResultsTable.END + "\nafter\n");
        ResultsTable.replaceBetweenMarkers(results, ResultsTable.BEGIN, ResultsTable.END, table);
        String text = Files.readString(results);
        assertTrue(text.startsWith("# Results\nbefore\n" + ResultsTable.BEGIN + "\n| workload"), text);
        assertTrue(text.endsWith(ResultsTable.END + "\nafter\n"), text);
        assertEquals(-1, text.indexOf("old"));
    }
}
