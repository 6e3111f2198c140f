package org.panfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** list's table and JSON for mounts with and without a state file. */
class ListCommandTest {
    private static final MountEntry PLAIN = MountEntry.parse("57 30 0:52 / /mnt/data rw - fuse.panfuse /srv/data rw");
    private static final MountEntry BACKUP = MountEntry.parse("58 30 0:53 / /mnt/b ro - fuse.panfuse /etc/b.toml rw");
    private static final MountEntry VIEW = MountEntry.parse(
            "59 30 0:54 / /mnt/enc\\012x ro - fuse.panfuse-encrypt /srv/data rw");

    private static List<RunningMounts.Running> sample() {
        return List.of(new RunningMounts.Running(PLAIN, null, false),
                new RunningMounts.Running(BACKUP, MountStateTest.sample(4242, Path.of("/mnt/b"), "0:53"), true),
                new RunningMounts.Running(VIEW, null, false));
    }

    @Test
    void aTableWithColumnsAligned() {
        assertEquals("""
                MOUNTPOINT     PID   MODE                                            SOURCES
                /mnt/data      -     ? (no state file)                               /srv/data
                /mnt/b         4242  multi-source, read-only, no kernel passthrough  etc=/etc a "quoted" name\\x0a=/srv/x y
                /mnt/enc\\x0ax  -     encrypted view, read-only                       /srv/data
                """, ListCommand.table(sample()));
        assertEquals("no panfuse mounts\n", ListCommand.table(List.of()));
    }

    @Test
    void aMountWhoseServerIsGoneIsStale() {
        var stale = new RunningMounts.Running(BACKUP, MountStateTest.sample(4242, Path.of("/mnt/b"), "0:53"), false);
        String mode = "multi-source, read-only, no kernel passthrough; STALE: its server (pid 4242) is gone, "
                + "panfuse unmount clears it";
        assertEquals("MOUNTPOINT  PID  MODE" + " ".repeat(mode.length() - 4) + "  SOURCES\n"
                + "/mnt/b      -    " + mode + "  etc=/etc a \"quoted\" name\\x0a=/srv/x y\n",
                ListCommand.table(List.of(stale)));
        JsonObject o = JsonParser.parseString(ListCommand.json(List.of(stale))).getAsJsonArray().get(0)
                .getAsJsonObject();
        assertEquals(false, o.get("serving").getAsBoolean());
        assertEquals(4242, o.get("pid").getAsLong());
    }

    @Test
    void jsonHasEveryFieldAndNullsWhereNoStateSays() {
        JsonArray a = JsonParser.parseString(ListCommand.json(sample())).getAsJsonArray();
        assertEquals(3, a.size());
        JsonObject plain = a.get(0).getAsJsonObject();
        assertEquals("/srv/data", plain.get("fsname").getAsString());
        assertEquals(true, plain.get("pid").isJsonNull() && plain.get("mode").isJsonNull() && plain.get("serving").isJsonNull()
                && plain.get("sources").isJsonNull() && plain.get("kernelPassthrough").isJsonNull());
        JsonObject backup = a.get(1).getAsJsonObject();
        assertEquals(4242, backup.get("pid").getAsLong());
        assertEquals("multi-source", backup.get("mode").getAsString());
        assertEquals("a \"quoted\" name\n", backup.getAsJsonArray("sources").get(1).getAsJsonObject()
                .get("name").getAsString());
        assertEquals("/mnt/enc\nx", a.get(2).getAsJsonObject().get("mountpoint").getAsString());
        assertEquals("[]\n", ListCommand.json(List.of()));
    }
}
