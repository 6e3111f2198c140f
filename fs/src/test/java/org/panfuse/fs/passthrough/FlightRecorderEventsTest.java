package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.panfuse.bindings.panfuse_h;

/** A flight recording of a mount shows its FUSE operations with inode, bytes, errno and duration. */
class FlightRecorderEventsTest {

    @Test
    void operationsAreRecorded() throws Exception {
        Path jfr = Files.createTempFile("panfuse-", ".jfr");
        // Nothing cached, data not in the page cache: every read, write and lookup reaches the filesystem,
        // whatever the kernel kept from earlier tests or from the write just before the read.
        try (Recording recording = new Recording()) {
            MountedSource m = MountedSource.mount(
                    PassthroughOptions.defaults().withCache(CachePolicy.NEVER).withDirectIo(true),
                    org.panfuse.fs.lowlevel.MountOptions.defaults());
            try {
                Files.writeString(m.src("warm"), "x"); // before the recording: not in it
                recording.enable("org.panfuse.FuseOperation").withThreshold(java.time.Duration.ZERO);
                recording.start();
                Files.write(m.mnt("data"), new byte[12345]);
                Files.readAllBytes(m.mnt("data"));
                assertTrue(Files.notExists(m.mnt("missing")));
            } finally {
                // A worker commits its event after sending the answer, so it may still be busy when the caller
                // has moved on: unmounting waits for every worker to finish before the recording stops.
                m.close();
            }
            recording.stop();
            recording.dump(jfr);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        Files.delete(jfr);
        assertTrue(events.stream().allMatch(e -> e.getEventType().getName().equals("org.panfuse.FuseOperation")));
        assertEquals(12345, events.stream().filter(e -> e.getString("operation").equals("write"))
                .mapToLong(e -> e.getLong("bytes")).sum(), "bytes written, over all write events");
        assertTrue(events.stream().anyMatch(e -> e.getString("operation").equals("read") && e.getLong("bytes") > 0));
        RecordedEvent missing = events.stream()
                .filter(e -> e.getString("operation").equals("lookup") && e.getInt("errno") != 0).findFirst().orElseThrow();
        assertEquals(panfuse_h.ENOENT(), missing.getInt("errno"));
        assertEquals(1, missing.getLong("inode"));
        assertTrue(events.stream().allMatch(e -> !e.getDuration().isNegative()));
    }
}
