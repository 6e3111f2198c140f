package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of {@link EncryptedViewBenchmarks}' JMH CSV files (several rounds,
 * targets interleaved): per workload and view, gocryptfs's and panfuse's mean
 * score, and panfuse / gocryptfs per round (the two ran next to each other),
 * mean and range, against the goal for the encrypting view.
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.EncryptedTable results/*.csv</pre>
 */
public final class EncryptedTable {
    private static final List<String> WORKLOADS = List.of("sequentialRead1MiB", "randomRead4KiB", "list10k", "stat10k");

    private EncryptedTable() {
    }

    public static void main(String[] args) throws IOException {
        List<ResultsTable.Score> scores = new ArrayList<>();
        for (String f : args) {
            scores.addAll(ResultsTable.parse(Path.of(f)));
        }
        System.out.print(render(scores));
    }

    static String render(List<ResultsTable.Score> scores) {
        // target -> workload -> round -> score
        Map<String, Map<String, Map<String, Double>>> grid = new TreeMap<>();
        for (ResultsTable.Score s : scores) {
            grid.computeIfAbsent(s.target(), k -> new TreeMap<>())
                    .computeIfAbsent(s.workload(), k -> new TreeMap<>())
                    .put(s.round(), s.value());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | view | unit | gocryptfs | panfuse | panfuse / gocryptfs (min–max over rounds) | goal |\n");
        sb.append("|---|---|---|---:|---:|---|---|\n");
        for (CryptTarget panfuse : List.of(CryptTarget.PANFUSE_ENCRYPT, CryptTarget.PANFUSE_DECRYPT)) {
            for (String workload : WORKLOADS) {
                Map<String, Double> ours = grid.getOrDefault(panfuse.label(), Map.of()).get(workload);
                Map<String, Double> stock = grid.getOrDefault(panfuse.stock().label(), Map.of()).get(workload);
                if (ours == null && stock == null) {
                    continue;
                }
                String view = panfuse.encrypts() ? "encrypt (vs -reverse)" : "decrypt (vs -ro)";
                String goal = !panfuse.encrypts() ? "–" : workload.equals("sequentialRead1MiB") ? "≥ 10" : "≥ 1.0";
                sb.append("| ").append(workload).append(" | ").append(view).append(" | ").append(unit(workload))
                        .append(" | ").append(mean(stock)).append(" | ").append(mean(ours))
                        .append(" | ").append(ResultsTable.ratio(ours, stock)).append(" | ").append(goal).append(" |\n");
            }
        }
        return sb.toString();
    }

    static String unit(String workload) {
        return switch (workload) {
            case "sequentialRead1MiB" -> "MiB/s";
            case "list10k" -> "listings/s";
            case "stat10k" -> "stats/s";
            default -> "reads/s";
        };
    }

    private static String mean(Map<String, Double> rounds) {
        return rounds == null ? "–" : ResultsTable.format(ResultsTable.mean(rounds.values()));
    }
}
