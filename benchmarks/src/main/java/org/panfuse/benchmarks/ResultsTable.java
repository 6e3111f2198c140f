package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JMH CSV files of one run (several rounds, targets interleaved)
 * into a table: the mean score per workload, setting and target, and the
 * ratios of both panfuse modes to bare, to passthrough_hp (libfuse 3.14) and,
 * where it ran, to passthrough_hp_318 (libfuse 3.18), with their spread over
 * the rounds.
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.ResultsTable [--into RESULTS.md] [--chart CHART.svg] results/*.csv</pre>
 *
 * <p>With {@code --chart}, the ratios of panfuse (as mounted by default) are also drawn as an SVG bar chart
 * ({@link RatioChart}).
 */
public final class ResultsTable {
    static final String BEGIN = "<!-- jmh:begin -->";
    static final String END = "<!-- jmh:end -->";
    private static final List<String> TARGETS = List.of("bare", "passthrough_ll", "passthrough_hp", "passthrough_hp_318",
            "panfuse", "panfuse_never");
    /** The ratio columns: each panfuse mode against each reference; a column is left out when one side did not run. */
    private static final List<String> NUMERATORS = List.of("panfuse", "panfuse_never");
    private static final List<String> DENOMINATORS = List.of("bare", "passthrough_hp", "passthrough_hp_318");

    /** One score: a workload in a setting on a target, in one round (one CSV file). */
    record Score(String workload, String setting, String target, String round, double value) {
    }

    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        Path into = null;
        Path chart = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--into")) {
                into = Path.of(args[++i]);
            } else if (args[i].equals("--chart")) {
                chart = Path.of(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        List<Score> scores = new ArrayList<>();
        for (Path f : files) {
            scores.addAll(parse(f));
        }
        String table = render(scores);
        System.out.print(table);
        if (into != null) {
            replaceBetweenMarkers(into, BEGIN, END, table);
        }
        if (chart != null && !files.isEmpty()) {
            // The run is named by its results directory (run.sh's date-time stamp).
            Path dir = files.get(0).toAbsolutePath().getParent();
            Files.writeString(chart, RatioChart.svg(scores, dir == null ? "" : dir.getFileName().toString()));
        }
    }

    /** The round is named by the file's name up to its first '-' (run.sh writes r1-..., r2-...). */
    static List<Score> parse(Path csv) throws IOException {
        String name = csv.getFileName().toString();
        String round = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = split(lines.get(0));
        int bench = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int setting = header.indexOf("Param: setting");
        int target = header.indexOf("Param: target");
        List<Score> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = split(line);
            String workload = f.get(bench).substring(f.get(bench).lastIndexOf('.') + 1);
            // Benchmarks without a setting parameter (the encrypted views') have none.
            out.add(new Score(workload, setting < 0 ? "" : f.get(setting), f.get(target), round,
                    Double.parseDouble(f.get(score))));
        }
        return out;
    }

    private static List<String> split(String csvLine) {
        List<String> out = new ArrayList<>();
        for (String f : csvLine.split(",", -1)) {
            out.add(f.startsWith("\"") && f.endsWith("\"") && f.length() >= 2 ? f.substring(1, f.length() - 1) : f);
        }
        return out;
    }

    static String unit(String workload) {
        return workload.contains("1MiB") ? "MiB/s" : "ops/s";
    }

    /** The scores by "workload|setting" (sorted), then target, then round. */
    static Map<String, Map<String, Map<String, Double>>> grid(List<Score> scores) {
        Map<String, Map<String, Map<String, Double>>> grid = new TreeMap<>();
        for (Score s : scores) {
            grid.computeIfAbsent(s.workload() + "|" + s.setting(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.target(), k -> new TreeMap<>())
                    .put(s.round(), s.value());
        }
        return grid;
    }

    /** The targets that ran (passthrough_hp_318 only when a libfuse source tree was given), in table order. */
    static List<String> ran(List<Score> scores) {
        return TARGETS.stream().filter(t -> scores.stream().anyMatch(s -> s.target().equals(t))).toList();
    }

    static String render(List<Score> scores) {
        // workload+setting -> target -> round -> score
        Map<String, Map<String, Map<String, Double>>> grid = grid(scores);
        List<String> ran = ran(scores);
        List<String[]> ratios = new ArrayList<>();
        for (String n : NUMERATORS) {
            for (String d : DENOMINATORS) {
                if (ran.contains(n) && ran.contains(d)) {
                    ratios.add(new String[] {n, d});
                }
            }
        }
        StringBuilder sb = new StringBuilder("| workload | setting | unit |");
        ran.forEach(t -> sb.append(' ').append(t).append(" |"));
        sb.append("\n|---|---|---|").append("---:|".repeat(ran.size())).append('\n');
        for (var row : grid.entrySet()) {
            String[] key = row.getKey().split("\\|");
            sb.append("| ").append(key[0]).append(" | ").append(key[1]).append(" | ").append(unit(key[0]));
            for (String t : ran) {
                Map<String, Double> rounds = row.getValue().get(t);
                sb.append(" | ").append(rounds == null ? "–" : format(mean(rounds.values())));
            }
            sb.append(" |\n");
        }
        if (ratios.isEmpty()) {
            return sb.toString();
        }
        // The ratios, per round (the targets ran next to each other), mean and min–max.
        sb.append("\n| workload | setting |");
        ratios.forEach(r -> sb.append(' ').append(shortName(r[0])).append(" / ").append(shortName(r[1])).append(" |"));
        sb.append("\n|---|---|").append("---|".repeat(ratios.size())).append('\n');
        for (var row : grid.entrySet()) {
            String[] key = row.getKey().split("\\|");
            sb.append("| ").append(key[0]).append(" | ").append(key[1]);
            for (String[] r : ratios) {
                sb.append(" | ").append(ratio(row.getValue().get(r[0]), row.getValue().get(r[1])));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    /** A target's name in a ratio column's head. */
    static String shortName(String target) {
        return switch (target) {
            case "passthrough_hp" -> "hp 3.14";
            case "passthrough_hp_318" -> "hp 3.18";
            case "panfuse_never" -> "panfuse never";
            default -> target;
        };
    }

    /** Mean of the per-round ratios, and their range: rounds pair panfuse with the run next to it (hp, or gocryptfs). */
    static String ratio(Map<String, Double> panfuse, Map<String, Double> hp) {
        List<Double> ratios = roundRatios(panfuse, hp);
        if (ratios.isEmpty()) {
            return "–";
        }
        double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        String mean = String.format(Locale.ROOT, "%.2f", mean(ratios));
        return ratios.size() == 1 ? mean : mean + String.format(Locale.ROOT, " (%.2f–%.2f)", min, max);
    }

    /** The ratio in each round both ran in (none if either did not run). */
    static List<Double> roundRatios(Map<String, Double> panfuse, Map<String, Double> other) {
        List<Double> ratios = new ArrayList<>();
        if (panfuse == null || other == null) {
            return ratios;
        }
        for (var e : panfuse.entrySet()) {
            Double o = other.get(e.getKey());
            if (o != null && o > 0) {
                ratios.add(e.getValue() / o);
            }
        }
        return ratios;
    }

    static double mean(java.util.Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Writes {@code table} between the markers {@code begin} and {@code end} of {@code file}, keeping everything else. */
    static void replaceBetweenMarkers(Path file, String begin, String end, String table) throws IOException {
        String text = Files.readString(file);
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IOException(file + " has no " + begin + " ... " + end + " section");
        }
        Files.writeString(file, text.substring(0, b + begin.length()) + "\n" + table + text.substring(e));
    }
}
