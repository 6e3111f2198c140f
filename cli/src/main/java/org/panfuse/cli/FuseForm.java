package org.panfuse.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * FUSE's own command-line form, {@code panfuse SOURCE MOUNTPOINT [-f] [-d]
 * [-s] [-o OPT,...]}: the form mount.fuse3 uses for an fstab line of type
 * {@code fuse.panfuse}, and the form of every libfuse program. A first
 * argument that is not one of panfuse's commands (nor --help or --version)
 * makes the command line a mount, in the background as FUSE programs mount
 * unless {@code -f} or {@code -d} says otherwise. {@code panfuse mount}'s
 * own form stays in the foreground unless {@code -b}.
 */
final class FuseForm {
    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    private FuseForm() {
    }

    /**
     * The command line picocli parses: the FUSE form turned into
     * {@code mount --background ...}, and panfuse's own options inside
     * {@code -o} lists of a mount turned into long options ({@link DashOptions}).
     */
    static String[] rewrite(String[] args, Set<String> commands) {
        if (args.length == 0) {
            return args;
        }
        List<String> all = Arrays.asList(args);
        String first = args[0];
        List<String> out = new ArrayList<>();
        if (first.equals("mount")) {
            out.add("mount");
            out.addAll(DashOptions.expand(all.subList(1, all.size())));
        } else if (commands.contains(first) || TOP_LEVEL_OPTIONS.contains(first)) {
            return args;
        } else {
            out.add("mount");
            out.add("--background");
            out.addAll(DashOptions.expand(all));
            boolean config = out.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config="));
            if (!config && first.matches("[a-z]+") && !java.nio.file.Files.exists(java.nio.file.Path.of(first))) {
                // More likely a mistyped command than a source named like one that is not there either
                // (with a config file the first field of an fstab line is such a name: it is allowed there).
                throw UserError.usage("unknown command '" + first + "' (commands: " + String.join(", ", commands)
                        + "; or panfuse SOURCE MOUNTPOINT to mount)");
            }
        }
        return out.toArray(String[]::new);
    }
}
