package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state file's JSON: what is written is what is read back, and anything else is refused as a whole. */
class MountStateTest {
    static MountState sample(long pid, Path mountpoint, String device) {
        return new MountState("0.1.0", pid, Instant.parse("2026-11-25T18:00:00.120Z"),
                Instant.parse("2026-11-25T18:00:01Z"), mountpoint, device, "fuse.panfuse",
                MountState.Mode.MULTI_SOURCE, true, false, "not used: a read-only mount reads through panfuse",
                List.of(new MountState.SourceEntry("etc", Path.of("/etc")),
                        new MountState.SourceEntry("a \"quoted\" name\n", Path.of("/srv/x y"))));
    }

    @Test
    void roundTrips() {
        MountState s = sample(4242, Path.of("/mnt/backup"), "0:57");
        assertEquals(s, MountState.parse(s.toText()));
        MountState single = new MountState("0.1.0", 1, null, Instant.EPOCH, Path.of("/m"), "0:1", "fuse.panfuse",
                MountState.Mode.PASSTHROUGH, false, true, "kernel passthrough in force",
                List.of(new MountState.SourceEntry(null, Path.of("/srv"))));
        assertEquals(single, MountState.parse(single.toText()));
        assertTrue(single.toText().contains("\"name\": null"), single.toText());
    }

    @Test
    void everyModeByItsLabel() {
        for (MountState.Mode m : MountState.Mode.values()) {
            assertEquals(m, MountState.Mode.of(m.label));
        }
    }

    @Test
    void anythingElseIsNotAStateFile() {
        String good = sample(1, Path.of("/m"), "0:1").toText();
        for (String bad : List.of("", "[]", "{", "not json", good.replace("\"pid\"", "\"pidx\""),
                good.replace("multi-source", "other"), good.replace("2026-11-25T18:00:01Z", "yesterday"))) {
            assertThrows(IllegalArgumentException.class, () -> MountState.parse(bad), bad);
        }
    }
}
