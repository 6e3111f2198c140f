package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.panfuse.fs.lowlevel.MountOptions;

/** fio writes checksummed blocks from several jobs at once and reads them back through the multi-threaded mount. */
class FioVerifyTest {

    @Test
    void concurrentRandomWritesAndReadsVerify() throws Exception {
        try (MountedSource m = MountedSource.mount(PassthroughOptions.defaults(), MountOptions.defaults().withThreads(8))) {
            for (String job : new String[] {
                "--rw=randwrite --bs=4k --size=24M --numjobs=4",
                "--rw=randrw --rwmixread=50 --bs=16k --size=24M --numjobs=4 --verify_backlog=32",
                "--rw=write --bs=1M --size=64M --numjobs=2"}) {
                Shell.Result r = Shell.run(m.mountpoint, java.util.Map.of(), "sh", "-c",
                        "fio --name=verify --directory=. --ioengine=psync --verify=crc32c --verify_fatal=1 --do_verify=1 "
                                + "--group_reporting --output-format=terse --terse-version=3 " + job);
                assertEquals(0, r.exit(), job + "\n" + r.output());
                assertFalse(r.output().contains("verify:") || r.output().contains("bad magic"), job + "\n" + r.output());
                // Terse field 5 is the job group's error code.
                String line = r.output().lines().filter(l -> l.startsWith("3;")).reduce((a, b) -> b).orElseThrow();
                assertEquals("0", line.split(";")[4], job + ": " + line);
                Shell.sh(m.mountpoint, "rm -f verify.*");
            }
        }
    }
}
