package org.panfuse.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code panfuse list}: the panfuse mounts running now, with their sources,
 * mode and serving pid, as a table or as JSON.
 */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Lists the panfuse mounts of this mount namespace: mountpoint, serving pid, mode (passthrough, "
                    + "multi-source, encrypted or decrypted view; read-only; kernel passthrough in force or not) "
                    + "and sources.",
            "Each mount's server describes itself in /run/panfuse/ (other users: $XDG_RUNTIME_DIR/panfuse/); a mount "
                    + "without such a file shows its type and source from the mount table alone; one whose server "
                    + "was killed shows as STALE until unmounted. Files left over by mounts that are gone are "
                    + "ignored, and removed when root lists."
        })
final class ListCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print a JSON array, one object per mount")
    boolean json;

    @Override
    public Integer call() {
        boolean root = org.panfuse.bindings.panfuse_h.geteuid() == 0;
        List<RunningMounts.Running> running = RunningMounts.find(MountEntry.readAll(), MountRegistry.allDirs(), root);
        System.out.print(json ? json(running) : table(running));
        return 0;
    }

    /** The table: a header and one line per mount, columns aligned; a sentence when there is none. */
    static String table(List<RunningMounts.Running> running) {
        if (running.isEmpty()) {
            return "no panfuse mounts\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MOUNTPOINT", "PID", "MODE", "SOURCES"});
        for (RunningMounts.Running r : running) {
            MountState s = r.state();
            rows.add(new String[] {
                printable(r.mount().mountPoint().toString()),
                s == null || !r.serving() ? "-" : Long.toString(s.pid()),
                mode(r),
                printable(s == null ? r.mount().source()
                        : String.join(" ", s.sources().stream().map(MountState.SourceEntry::toString).toList()))
            });
        }
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                sb.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
            }
            sb.append(row[row.length - 1]).append('\n');
        }
        return sb.toString();
    }

    /** The MODE column: what is served, read-only, and kernel passthrough for the mirrors (the views never have it). */
    static String mode(RunningMounts.Running r) {
        MountState s = r.state();
        List<String> parts = new ArrayList<>();
        if (s != null) {
            parts.add(s.mode().label);
        } else {
            // Without a state file only the subtype tells: the views have their own.
            parts.add(switch (r.mount().type()) {
                case "fuse.panfuse-encrypt" -> MountState.Mode.ENCRYPTED_VIEW.label;
                case "fuse.panfuse-decrypt" -> MountState.Mode.DECRYPTED_VIEW.label;
                default -> "? (no state file)";
            });
        }
        if (s != null ? s.readOnly() : r.mount().readOnly()) {
            parts.add("read-only");
        }
        if (s != null && (s.mode() == MountState.Mode.PASSTHROUGH || s.mode() == MountState.Mode.MULTI_SOURCE)) {
            parts.add(s.kernelPassthrough() ? "kernel passthrough" : "no kernel passthrough");
        }
        String mode = String.join(", ", parts);
        // A mount whose server died answers nothing but errors until it is unmounted: say so, and how.
        return s != null && !r.serving() ? mode + "; STALE: its server (pid " + s.pid() + ") is gone, "
                + "panfuse unmount clears it" : mode;
    }

    /**
     * The JSON array: what the table shows, in full; null where no state file
     * says. "serving" is false for a stale mount, whose "pid" is then the
     * server that is gone.
     */
    static String json(List<RunningMounts.Running> running) {
        JsonArray array = new JsonArray();
        for (RunningMounts.Running r : running) {
            MountState s = r.state();
            JsonObject o = new JsonObject();
            o.addProperty("mountpoint", r.mount().mountPoint().toString());
            o.addProperty("type", r.mount().type());
            o.addProperty("fsname", r.mount().source());
            o.add("pid", s == null ? JsonNull.INSTANCE : new JsonPrimitive(s.pid()));
            o.add("serving", s == null ? JsonNull.INSTANCE : new JsonPrimitive(r.serving()));
            o.add("mode", s == null ? JsonNull.INSTANCE : new JsonPrimitive(s.mode().label));
            o.addProperty("readOnly", s == null ? r.mount().readOnly() : s.readOnly());
            o.add("kernelPassthrough", s == null ? JsonNull.INSTANCE : new JsonPrimitive(s.kernelPassthrough()));
            o.add("passthroughNote", s == null ? JsonNull.INSTANCE : new JsonPrimitive(s.passthroughNote()));
            o.add("sources", s == null ? JsonNull.INSTANCE : s.toJson().get("sources"));
            o.add("started", s == null ? JsonNull.INSTANCE : new JsonPrimitive(s.started().toString()));
            o.add("version", s == null ? JsonNull.INSTANCE : new JsonPrimitive(s.version()));
            array.add(o);
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(array)
                + "\n";
    }

    /** Control characters (a newline in a path) as \xNN, so that one mount stays one line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
