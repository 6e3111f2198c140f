package org.panfuse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code -o} options of the mount command, as mount(8) and mount.fuse3
 * give them: panfuse's own options under their fstab names
 * ({@code -o config=FILE,cache=never,encrypt}), so that one fstab line can
 * carry them; the kernel's and libfuse's mount options; and the options that
 * are mount(8)'s or systemd's business, which panfuse ignores. Anything else
 * is refused before anything is mounted, in one line: a mistyped option
 * should not become a mount with different meaning, or a libfuse message.
 */
final class DashOptions {
    /** panfuse's options that take a value: -o NAME=VALUE is the long option NAME with '-' for '_'. */
    private static final Map<String, String> VALUED = Map.ofEntries(
            Map.entry("config", "--config"),
            Map.entry("cache", "--cache"),
            Map.entry("passthrough", "--passthrough"),
            Map.entry("key_file", "--key-file"),
            Map.entry("passfile", "--passfile"),
            Map.entry("extpass", "--extpass"),
            Map.entry("threads", "--threads"),
            // libfuse's name for the same (fuse_parse_cmdline's -o max_threads)
            Map.entry("max_threads", "--threads"),
            Map.entry("fd_cache", "--fd-cache"),
            Map.entry("log_file", "--log-file"));

    /** panfuse's options without a value. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("encrypt", "--encrypt"),
            Map.entry("decrypt", "--decrypt"),
            Map.entry("direct_io", "--direct-io"),
            Map.entry("writeback_cache", "--writeback-cache"),
            Map.entry("splice", "--splice"),
            Map.entry("no_splice", "--no-splice"),
            Map.entry("single_threaded", "--single-threaded"),
            Map.entry("clone_fd", "--clone-fd"),
            Map.entry("debug", "--debug"),
            Map.entry("clear_stale", "--clear-stale"),
            Map.entry("quiet", "--quiet"));

    /** The kernel's generic mount flags, as libfuse 3.14 passes them on. */
    private static final Set<String> KERNEL_FLAGS = Set.of("suid", "nosuid", "dev", "nodev", "exec", "noexec",
            "async", "sync", "dirsync", "atime", "noatime", "diratime", "nodiratime", "relatime", "norelatime",
            "strictatime", "nostrictatime", "lazytime", "nolazytime");

    /** libfuse's mount options a user may give (the rest it sets itself). */
    private static final Set<String> LIBFUSE_FLAGS = Set.of("allow_root", "auto_unmount");

    /**
     * mount(8)'s, fstab's and systemd's own options, which mount.fuse3 strips
     * or which reach panfuse when it is run by hand with an fstab line's
     * options: no meaning for the filesystem.
     */
    private static final Set<String> IGNORED = Set.of("defaults", "auto", "noauto", "user", "users", "nouser",
            "owner", "group", "nofail", "_netdev");

    /** libfuse's high-level API options, which a low-level filesystem does not have. */
    private static final Set<String> HIGH_LEVEL = Set.of("kernel_cache", "auto_cache", "entry_timeout",
            "negative_timeout", "attr_timeout", "ac_attr_timeout", "umask", "uid", "gid", "use_ino", "readdir_ino",
            "hard_remove", "noforget", "remember", "modules", "intr", "intr_signal", "nopath");

    private DashOptions() {
    }

    /**
     * Rewrites the mount command's arguments: each of panfuse's own options
     * inside a {@code -o} list becomes its long option; the rest of the list
     * stays a {@code -o}. A list with an empty option is left alone for
     * {@link MountOptionList} to refuse.
     */
    static List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                out.addAll(args.subList(i, args.size()));
                break;
            }
            String list;
            if (arg.equals("-o") && i + 1 < args.size()) {
                list = args.get(++i);
            } else if (arg.startsWith("-o") && arg.length() > 2) {
                list = arg.substring(arg.charAt(2) == '=' ? 3 : 2);
            } else {
                out.add(arg);
                continue;
            }
            if (list.isEmpty() || List.of(list.split(",", -1)).contains("")) {
                out.add("-o");
                out.add(list);
                continue;
            }
            List<String> rest = new ArrayList<>();
            for (String option : list.split(",")) {
                String expanded = expand(option);
                if (expanded == null) {
                    rest.add(option);
                } else {
                    out.add(expanded);
                }
            }
            if (!rest.isEmpty()) {
                out.add("-o");
                out.add(String.join(",", rest));
            }
        }
        return out;
    }

    /** The long option for one of panfuse's own -o options, or null if it is not one. */
    private static String expand(String option) {
        int eq = option.indexOf('=');
        String name = eq < 0 ? option : option.substring(0, eq);
        if (VALUED.containsKey(name)) {
            if (eq < 0 || eq == option.length() - 1) {
                throw UserError.usage("-o " + name + " needs a value (-o " + name + "=...)");
            }
            return VALUED.get(name) + "=" + option.substring(eq + 1);
        }
        if (FLAGS.containsKey(name)) {
            if (eq >= 0) {
                throw UserError.usage("-o " + name + " takes no value");
            }
            return FLAGS.get(name);
        }
        return null;
    }

    /** What panfuse does with a -o option that is not one of its own (nor ro, rw, allow_other, default_permissions). */
    enum Kind {
        /** given to libfuse, which hands it to the kernel or acts on it */
        LIBFUSE,
        /** mount(8)'s or systemd's: no meaning here */
        IGNORED
    }

    /**
     * Sorts out {@code option}: passed to libfuse, or ignored; anything else
     * is a usage error that says why.
     */
    static Kind kind(String option) {
        int eq = option.indexOf('=');
        String name = eq < 0 ? option : option.substring(0, eq);
        if (IGNORED.contains(option) || name.startsWith("x-") || name.startsWith("X-") || name.equals("comment")) {
            return Kind.IGNORED;
        }
        if ((eq < 0 && (KERNEL_FLAGS.contains(option) || LIBFUSE_FLAGS.contains(option)))
                || (name.equals("max_read") && eq > 0 && option.substring(eq + 1).matches("[0-9]+"))) {
            return Kind.LIBFUSE;
        }
        if (name.equals("fsname") || name.equals("subtype")) {
            throw UserError.usage("-o " + option + ": panfuse names its mounts itself");
        }
        if (name.equals("setuid") || name.equals("drop_privileges")) {
            throw UserError.usage("-o " + option + " is mount.fuse3's option (in fstab it is handled before panfuse "
                    + "starts), not panfuse's");
        }
        if (name.equals("fd") || name.equals("rootmode") || name.equals("user_id") || name.equals("group_id")
                || name.equals("blkdev") || name.equals("blksize")) {
            throw UserError.usage("-o " + option + ": libfuse sets this mount option itself");
        }
        if (HIGH_LEVEL.contains(name)) {
            throw UserError.usage("-o " + option + " is an option of libfuse's high-level API, which panfuse does not "
                    + "use (panfuse's caching: -o cache=never|auto|always)");
        }
        throw UserError.usage("-o " + option + ": unknown mount option (see: panfuse mount --help)");
    }
}
