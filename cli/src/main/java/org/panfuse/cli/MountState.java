package org.panfuse.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a running mount says about itself in its state file (see
 * {@link MountRegistry}), which the mount table alone does not tell: the
 * serving process, every source, the mode. {@code panfuse list} reads it back.
 *
 * @param version            panfuse's version that mounted it
 * @param pid                the serving process
 * @param processStart       when that process started: with the pid, it tells a live server from a reused pid
 * @param started            when the mount was made
 * @param mountpoint         where, absolute, as in mountinfo
 * @param device             the mount's "major:minor", as in mountinfo: tells this mount from a later one there
 * @param type               the filesystem type, e.g. fuse.panfuse
 * @param mode               what is served
 * @param readOnly           mounted read-only
 * @param kernelPassthrough  whether the kernel reads and writes open files itself (kernel passthrough in force)
 * @param passthroughNote    one line on kernel passthrough: why it is off, or that it is in force
 * @param sources            the directories served, each with its entry name (none for a single source)
 */
record MountState(String version, long pid, Instant processStart, Instant started, Path mountpoint, String device,
        String type, Mode mode, boolean readOnly, boolean kernelPassthrough, String passthroughNote,
        List<SourceEntry> sources) {

    /** What a mount serves. */
    enum Mode {
        /** One directory mirrored. */
        PASSTHROUGH("passthrough"),
        /** A config file's directories, each an entry of the mountpoint. */
        MULTI_SOURCE("multi-source"),
        /** The encrypted reverse view (mount --encrypt). */
        ENCRYPTED_VIEW("encrypted view"),
        /** The plaintext of a backup (mount --decrypt). */
        DECRYPTED_VIEW("decrypted view");

        /** How it is written in the state file, in list's table and in its JSON. */
        final String label;

        Mode(String label) {
            this.label = label;
        }

        static Mode of(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown mode \"" + label + "\"");
        }
    }

    /**
     * One source directory.
     *
     * @param name its entry under the mountpoint, or null when it is the only source (the mountpoint itself)
     * @param path the directory, as the serving process resolved it
     */
    record SourceEntry(String name, Path path) {
        @Override
        public String toString() {
            return name == null ? path.toString() : name + "=" + path;
        }
    }

    /** The state as a JSON object (what the state file holds). */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("version", version);
        o.addProperty("pid", pid);
        o.add("processStart", processStart == null ? JsonNull.INSTANCE : new JsonPrimitive(processStart.toString()));
        o.addProperty("started", started.toString());
        o.addProperty("mountpoint", mountpoint.toString());
        o.addProperty("device", device);
        o.addProperty("type", type);
        o.addProperty("mode", mode.label);
        o.addProperty("readOnly", readOnly);
        o.addProperty("kernelPassthrough", kernelPassthrough);
        o.addProperty("passthroughNote", passthroughNote);
        JsonArray list = new JsonArray();
        for (SourceEntry s : sources) {
            JsonObject e = new JsonObject();
            e.add("name", s.name() == null ? JsonNull.INSTANCE : new JsonPrimitive(s.name()));
            e.addProperty("path", s.path().toString());
            list.add(e);
        }
        o.add("sources", list);
        return o;
    }

    /** The state file's text: pretty-printed JSON, so a person can read it too. */
    String toText() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                .toJson(toJson()) + "\n";
    }

    /**
     * Reads a state file's text.
     *
     * @throws IllegalArgumentException if it is not a state file this version can read
     */
    static MountState parse(String text) {
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            List<SourceEntry> sources = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("sources")) {
                JsonObject s = e.getAsJsonObject();
                sources.add(new SourceEntry(s.get("name").isJsonNull() ? null : s.get("name").getAsString(),
                        Path.of(s.get("path").getAsString())));
            }
            JsonElement processStart = o.get("processStart");
            return new MountState(o.get("version").getAsString(), o.get("pid").getAsLong(),
                    processStart == null || processStart.isJsonNull() ? null : Instant.parse(processStart.getAsString()),
                    Instant.parse(o.get("started").getAsString()), Path.of(o.get("mountpoint").getAsString()),
                    o.get("device").getAsString(), o.get("type").getAsString(), Mode.of(o.get("mode").getAsString()),
                    o.get("readOnly").getAsBoolean(), o.get("kernelPassthrough").getAsBoolean(),
                    o.get("passthroughNote").getAsString(), List.copyOf(sources));
        } catch (RuntimeException e) {
            // Gson's parse errors, a missing field (NullPointerException), a wrong type, a bad date or path.
            throw new IllegalArgumentException("not a panfuse state file: " + e.getMessage(), e);
        }
    }
}
