package org.panfuse.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fio against the encrypted targets, to cross-check {@link EncryptedViewBenchmarks}'
 * reads: one sequential pass over 512 MiB of the big file in 1 MiB reads (a new
 * fio process opens the file afresh, so the page cache is dropped), and random
 * 4 KiB O_DIRECT reads. Each run mounts the targets in turn and runs each job
 * twice, measuring the second.
 *
 * <pre>java -cp benchmarks.jar org.panfuse.benchmarks.EncryptedFio [--runs N] [--seconds S]</pre>
 */
public final class EncryptedFio {
    private EncryptedFio() {
    }

    static List<FioCrossCheck.Job> jobs(int seconds) {
        return List.of(
                new FioCrossCheck.Job("sequential read 1 MiB, one 512 MiB pass", false, "MiB/s",
                        List.of("--readonly", "--rw=read", "--bs=1M", "--size=512M")),
                new FioCrossCheck.Job("random read 4 KiB, O_DIRECT, " + seconds + " s", false, "IOPS",
                        List.of("--readonly", "--rw=randread", "--bs=4k", "--direct=1", "--size=512M",
                                "--time_based", "--runtime=" + seconds)));
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int seconds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        CryptFixture fixture = CryptFixture.standard();
        // job -> target -> run -> figure
        Map<String, Map<String, Map<String, Double>>> figures = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (CryptTarget target : CryptTarget.values()) {
                Path mnt = fixture.scratchDirectory("mnt-");
                try (MountedTarget mounted = target.mount(fixture, mnt)) {
                    Path big = CryptFixture.Shown.in(mounted.root()).big();
                    for (FioCrossCheck.Job job : jobs(seconds)) {
                        // Once to warm up (panfuse's JIT; JMH has its warm-up iterations for that), then measured.
                        FioCrossCheck.run(job, "--filename=" + big);
                        double figure = FioCrossCheck.run(job, "--filename=" + big);
                        figures.computeIfAbsent(job.name() + " (" + job.unit() + ")", k -> new LinkedHashMap<>())
                                .computeIfAbsent(target.label(), k -> new LinkedHashMap<>())
                                .put("r" + run, figure);
                        System.err.printf(Locale.ROOT, "fio %-45s %-18s run %d: %,10.0f %s%n", job.name(),
                                target.label(), run, figure, job.unit());
                    }
                } finally {
                    Files.deleteIfExists(mnt);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| fio job | view | gocryptfs | panfuse | panfuse / gocryptfs (min–max over runs) |\n");
        sb.append("|---|---|---:|---:|---|\n");
        for (CryptTarget panfuse : List.of(CryptTarget.PANFUSE_ENCRYPT, CryptTarget.PANFUSE_DECRYPT)) {
            for (var job : figures.entrySet()) {
                Map<String, Double> ours = job.getValue().get(panfuse.label());
                Map<String, Double> stock = job.getValue().get(panfuse.stock().label());
                sb.append("| ").append(job.getKey()).append(" | ").append(panfuse.encrypts() ? "encrypt" : "decrypt")
                        .append(" | ").append(ResultsTable.format(ResultsTable.mean(stock.values())))
                        .append(" | ").append(ResultsTable.format(ResultsTable.mean(ours.values())))
                        .append(" | ").append(ResultsTable.ratio(ours, stock)).append(" |\n");
            }
        }
        System.out.print(sb);
    }
}
