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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The panfuse mounts running now: every panfuse mount of the mount table,
 * each with the state its server published. A state file belongs to a mount
 * when it names the mount's mountpoint and device and is written by root or by
 * the user who mounted it. Its server is serving while the process it names
 * lives (same pid, same start time); a mount whose server is gone is stale
 * (its requests fail until it is unmounted). A file whose process and mount
 * are both gone is left over, and is removed when asked to clean.
 */
final class RunningMounts {
    /** State files are a few hundred bytes; anything much larger is not one. */
    private static final long MAX_STATE_BYTES = 1 << 16;

    /**
     * One panfuse mount.
     *
     * @param mount   its mountinfo line
     * @param state   what its server published, or null if no state file belongs to it
     * @param serving whether the process that published it still runs (false: a stale mount)
     */
    record Running(MountEntry mount, MountState state, boolean serving) {
    }

    /** A state file that may belong to a mount. */
    private record Found(Path file, MountState state, int owner, boolean alive) {
    }

    private RunningMounts() {
    }

    /**
     * The panfuse mounts of {@code table}, in its order, matched with the state files of {@code dirs}.
     *
     * @param clean remove state files left over by a process and a mount that are both gone (as root)
     */
    static List<Running> find(List<MountEntry> table, List<Path> dirs, boolean clean) {
        Set<String> mounted = new HashSet<>();
        for (MountEntry m : table) {
            if (m.isPanfuse()) {
                mounted.add(key(m.mountPoint(), m.device()));
            }
        }
        Map<String, List<Found>> found = new HashMap<>();
        for (Path dir : dirs) {
            for (Path file : MountRegistry.files(dir)) {
                MountState state = read(file);
                Integer owner = owner(file);
                if (state == null || owner == null) {
                    continue; // not a state file, or gone meanwhile
                }
                String key = key(state.mountpoint(), state.device());
                boolean alive = alive(state);
                if (!alive && !mounted.contains(key)) {
                    if (clean) {
                        try {
                            Files.deleteIfExists(file);
                        } catch (IOException e) {
                            // left for the next root that lists
                        }
                    }
                    continue;
                }
                found.computeIfAbsent(key, k -> new ArrayList<>()).add(new Found(file, state, owner, alive));
            }
        }
        List<Running> running = new ArrayList<>();
        for (MountEntry m : table) {
            if (!m.isPanfuse()) {
                continue;
            }
            Found best = null;
            for (Found f : found.getOrDefault(key(m.mountPoint(), m.device()), List.of())) {
                // Nobody else may speak for a mount; a live server's word over a dead one's.
                if ((f.owner() == 0 || f.owner() == m.userId()) && (best == null || f.alive() && !best.alive())) {
                    best = f;
                }
            }
            running.add(best == null ? new Running(m, null, false) : new Running(m, best.state(), best.alive()));
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

    private static Integer owner(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
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
