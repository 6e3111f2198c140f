package org.panfuse.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data workloads again, run by fio against every target in both
 * settings, so the JMH figures are checked by the tool filesystem engineers
 * trust. Prints a table (and writes it into RESULTS.md with --into).
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.FioCrossCheck [--seconds N] [--into RESULTS.md]</pre>
 */
public final class FioCrossCheck {
    static final String BEGIN = "<!-- fio:begin -->";
    static final String END = "<!-- fio:end -->";
    /** libfuse 3.18's passthrough_hp only where build-natives.sh built it (a libfuse source tree was given). */
    private static final List<Target> TARGETS = java.nio.file.Files.isExecutable(
            Target.natives().resolve(Target.PASSTHROUGH_HP_318.label()))
            ? List.of(Target.BARE, Target.PASSTHROUGH_LL, Target.PASSTHROUGH_HP, Target.PASSTHROUGH_HP_318,
                    Target.PANFUSE, Target.PANFUSE_NEVER)
            : List.of(Target.BARE, Target.PASSTHROUGH_LL, Target.PASSTHROUGH_HP, Target.PANFUSE, Target.PANFUSE_NEVER);
    /** The ratios in the table: each panfuse mode against each libfuse passthrough_hp that ran. */
    private static final List<Target[]> RATIOS = List.of(
            new Target[] {Target.PANFUSE, Target.PASSTHROUGH_HP}, new Target[] {Target.PANFUSE, Target.PASSTHROUGH_HP_318},
            new Target[] {Target.PANFUSE_NEVER, Target.PASSTHROUGH_HP},
            new Target[] {Target.PANFUSE_NEVER, Target.PASSTHROUGH_HP_318});

    /** A fio job and which of its bandwidth figures counts. */
    record Job(String name, boolean write, String unit, List<String> options) {
    }

    static List<Job> jobs(int seconds) {
        List<String> timed = List.of("--time_based", "--runtime=" + seconds);
        return List.of(
                new Job("sequential read 1 MiB", false, "MiB/s",
                        concat(List.of("--rw=read", "--bs=1M", "--size=512M"), timed)),
                new Job("random read 4 KiB", false, "IOPS",
                        concat(List.of("--rw=randread", "--bs=4k", "--size=512M"), timed)),
                new Job("sequential write 1 MiB + fsync", true, "MiB/s",
                        List.of("--rw=write", "--bs=1M", "--size=256M", "--end_fsync=1")),
                new Job("parallel read 1 MiB, 4 jobs", false, "MiB/s",
                        concat(List.of("--rw=read", "--bs=1M", "--size=128M", "--numjobs=4", "--group_reporting"), timed)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 5;
        Path into = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--into" -> into = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // job + setting -> target -> figure
        Map<String, Map<Target, Double>> figures = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            for (Target target : TARGETS) {
                try (Workspace ws = Workspace.create();
                        MountedTarget mounted = MountedTarget.start(target, setting, ws.source, ws.mountpoint)) {
                    for (Job job : jobs(seconds)) {
                        double figure = run(job, mounted.root());
                        figures.computeIfAbsent(job.name() + "|" + setting.name().toLowerCase(Locale.ROOT),
                                k -> new LinkedHashMap<>()).put(target, figure);
                        System.err.printf(Locale.ROOT, "fio %-32s %-8s %-15s %,12.0f %s%n", job.name(),
                                setting.name().toLowerCase(Locale.ROOT), target.label(), figure, job.unit());
                    }
                }
            }
        }
        String table = render(figures);
        System.out.print(table);
        if (into != null) {
            ResultsTable.replaceBetweenMarkers(into, BEGIN, END, table);
        }
    }

    /** Runs one job in {@code dir}; returns MiB/s or IOPS as the job's unit says. */
    static double run(Job job, Path dir) throws IOException, InterruptedException {
        return run(job, "--directory=" + dir);
    }

    /** Runs one job on {@code where} (--directory=..., or --filename=... for a file that is there); as above. */
    static double run(Job job, String where) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("fio", "--name=job", where,
                "--ioengine=psync", "--output-format=terse", "--terse-version=3"));
        command.addAll(job.options());
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("fio failed: " + err + out);
        }
        String line = out.lines().filter(l -> l.startsWith("3;")).reduce((a, b) -> b)
                .orElseThrow(() -> new IOException("no terse line from fio: " + out));
        String[] f = line.split(";");
        // Terse v3, 1-based: 7 read bandwidth KiB/s, 8 read IOPS, 48 write bandwidth KiB/s, 49 write IOPS.
        int bw = job.write() ? 47 : 6;
        int iops = job.write() ? 48 : 7;
        return job.unit().equals("IOPS") ? Double.parseDouble(f[iops]) : Double.parseDouble(f[bw]) / 1024.0;
    }

    static String render(Map<String, Map<Target, Double>> figures) {
        List<Target> ran = TARGETS.stream().filter(t -> figures.values().stream().anyMatch(m -> m.containsKey(t))).toList();
        List<Target[]> ratios = RATIOS.stream().filter(r -> ran.contains(r[0]) && ran.contains(r[1])).toList();
        StringBuilder sb = new StringBuilder("| fio job | setting |");
        ran.forEach(t -> sb.append(' ').append(t.label()).append(" |"));
        ratios.forEach(r -> sb.append(' ').append(ResultsTable.shortName(r[0].label())).append(" / ")
                .append(ResultsTable.shortName(r[1].label())).append(" |"));
        sb.append("\n|---|---|").append("---:|".repeat(ran.size() + ratios.size())).append('\n');
        for (var row : figures.entrySet()) {
            String[] key = row.getKey().split("\\|");
            String unit = key[0].startsWith("random") ? "IOPS" : "MiB/s";
            sb.append("| ").append(key[0]).append(" (").append(unit).append(") | ").append(key[1]);
            for (Target t : ran) {
                Double v = row.getValue().get(t);
                sb.append(" | ").append(v == null ? "–" : String.format(Locale.ROOT, "%,.0f", v));
            }
            for (Target[] r : ratios) {
                Double pan = row.getValue().get(r[0]);
                Double hp = row.getValue().get(r[1]);
                sb.append(" | ").append(pan == null || hp == null || hp == 0 ? "–" : String.format(Locale.ROOT, "%.2f", pan / hp));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }
}
