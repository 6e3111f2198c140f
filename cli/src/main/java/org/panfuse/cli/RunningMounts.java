package org.panfuse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The panfuse mounts running now: every panfuse mount of the mount table,
 * each with the state its server published if that state still holds. A state
 * file holds while the process that wrote it lives (same pid, same start time)
 * and the mount it names (same mountpoint, same device) is in the table; a file
 * whose process is gone is stale, and is removed when asked to clean.
 */
final class RunningMounts {
    /** State files are a few hundred bytes; anything much larger is not one. */
    private static final long MAX_STATE_BYTES = 1 << 16;

    /**
     * One running mount.
     *
     * @param mount its mountinfo line
     * @param state what its server published, or null if nothing (still) holds
     */
    record Running(MountEntry mount, MountState state) {
    }

    private RunningMounts() {
    }

    /**
     * The panfuse mounts of {@code table}, in its order, matched with the state files of {@code dirs}.
     *
     * @param clean remove state files whose process is gone (as root)
     */
    static List<Running> find(List<MountEntry> table, List<Path> dirs, boolean clean) {
        Map<String, MountState> live = new HashMap<>();
        for (Path dir : dirs) {
            for (Path file : MountRegistry.files(dir)) {
                MountState state = read(file);
                if (state == null) {
                    continue; // not a state file
                }
                if (!alive(state)) {
                    if (clean) {
                        try {
                            Files.deleteIfExists(file);
                        } catch (IOException e) {
                            // left for the next root that lists
                        }
                    }
                    continue;
                }
                if (!trusted(file, state)) {
                    continue; // it speaks for a process its writer does not own
                }
                live.put(key(state.mountpoint(), state.device()), state);
            }
        }
        List<Running> running = new ArrayList<>();
        for (MountEntry m : table) {
            if (m.isPanfuse()) {
                running.add(new Running(m, live.get(key(m.mountPoint(), m.device()))));
            }
        }
        return running;
    }

    private static String key(Path mountpoint, String device) {
        return device + " " + mountpoint;
    }

    private static MountState read(Path file) {
        try {
            if (Files.size(file) > MAX_STATE_BYTES) {
                return null;
            }
            return MountState.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The process that wrote it, or root, owns the file: nobody else can speak for a mount. */
    private static boolean trusted(Path file, MountState state) {
        try {
            int fileOwner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (fileOwner == 0) {
                return true;
            }
            int processOwner = (Integer) Files.getAttribute(Path.of("/proc", Long.toString(state.pid())), "unix:uid");
            return fileOwner == processOwner;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // a process gone between the checks: its file is looked at again next time
        }
    }

    /** The process that wrote the state still runs: same pid, started when it said (a pid can be reused). */
    static boolean alive(MountState state) {
        Optional<ProcessHandle> process = ProcessHandle.of(state.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return state.processStart() == null || started.isEmpty()
                || Duration.between(started.get(), state.processStart()).abs().compareTo(Duration.ofSeconds(1)) < 0;
    }
}
