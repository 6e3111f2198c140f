package org.panfuse.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The harness works end to end (a target mounted in its own process, a JMH
 * workload against it), without asserting any number: speed is measured by
 * benchmarks/run.sh, not by tests. The native passthroughs are left to run.sh,
 * which builds them.
 */
class HarnessTest {

    @BeforeAll
    static void jarOfThisCheckout() {
        System.setProperty("panfuse.bench.jar", "../cli/target/panfuse.jar");
    }

    @Test
    void panfuseTargetMountsServesAndUnmounts() throws Exception {
        try (Workspace ws = Workspace.create()) {
            try (MountedTarget t = MountedTarget.start(Target.PANFUSE, Setting.UNCACHED, ws.source, ws.mountpoint)) {
                assertTrue(MountInfo.isMountPoint(ws.mountpoint));
                Files.writeString(t.root().resolve("probe"), "through panfuse");
                assertEquals("through panfuse", Files.readString(ws.source.resolve("probe")));
            }
            assertFalse(MountInfo.isMountPoint(ws.mountpoint));
        }
    }

    /** The four encrypted targets' commands, over a small fixture: the two encrypted views agree, the decrypted ones give the plaintext back. */
    @Test
    void encryptedTargetsServeTheFixture() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gocryptfs")), "gocryptfs is not installed");
        Path base = Files.createTempDirectory(Files.createDirectories(Path.of("/dev/shm/panfuse-bench")), "crypt-test-");
        try {
            CryptFixture fixture = new CryptFixture(base, 3 << 20, 20).ready();
            Map<CryptTarget, byte[]> bigs = new EnumMap<>(CryptTarget.class);
            for (CryptTarget target : CryptTarget.values()) {
                Path mnt = fixture.scratchDirectory("mnt-");
                try (MountedTarget t = target.mount(fixture, mnt)) {
                    CryptFixture.Shown shown = CryptFixture.Shown.in(t.root());
                    bigs.put(target, Files.readAllBytes(shown.big()));
                    try (Stream<Path> files = Files.list(shown.files())) {
                        assertEquals(target.encrypts() ? 21 : 20, files.count(), target.label()); // + gocryptfs.diriv
                    }
                }
                assertFalse(MountInfo.isMountPoint(mnt));
                Files.delete(mnt);
            }
            byte[] plain = Files.readAllBytes(fixture.plain.resolve(CryptFixture.BIG));
            assertArrayEquals(bigs.get(CryptTarget.GOCRYPTFS_REVERSE), bigs.get(CryptTarget.PANFUSE_ENCRYPT));
            assertArrayEquals(plain, bigs.get(CryptTarget.GOCRYPTFS_FORWARD));
            assertArrayEquals(plain, bigs.get(CryptTarget.PANFUSE_DECRYPT));
        } finally {
            CryptFixture.delete(base);
        }
    }

    @Test
    void oneWorkloadRunsUnderJmh() throws Exception {
        // A benchmark run on the same machine holds JMH's lock file; this one-workload check does not need it.
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(FsBenchmarks.class.getSimpleName() + ".statExisting")
                .param("target", "panfuse", "bare")
                .param("setting", "uncached")
                .jvmArgsAppend("-Dpanfuse.bench.jar=../cli/target/panfuse.jar")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build()).run();
        assertEquals(2, results.size());
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString());
        }
    }
}
