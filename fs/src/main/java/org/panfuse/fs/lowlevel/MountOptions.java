package org.panfuse.fs.lowlevel;

import java.util.ArrayList;
import java.util.List;

/**
 * How a session is mounted and served. Mount options (ro, allow_other, ...)
 * go to the kernel through libfuse; the rest shapes the request loop.
 *
 * @param fsName             the "device" column of /proc/mounts
 * @param subtype            shown as fuse.SUBTYPE in /proc/mounts
 * @param readOnly           mount read-only (ro)
 * @param allowOther         let other users in (allow_other); needs user_allow_other in /etc/fuse.conf for non-root
 * @param defaultPermissions let the kernel check file modes (default_permissions)
 * @param mountOptions       further -o options, passed through verbatim (e.g. "noatime", "max_read=131072")
 * @param threads            worker threads of the multi-threaded loop; 0 or less runs the single-threaded loop
 * @param cloneFd            give each worker thread its own /dev/fuse descriptor
 * @param debug              log every operation with its arguments and result
 */
public record MountOptions(String fsName, String subtype, boolean readOnly, boolean allowOther,
        boolean defaultPermissions, List<String> mountOptions, int threads, boolean cloneFd, boolean debug) {

    /**
     * Checks that each further option is one option, and not one of those
     * with a setting of their own.
     *
     * @throws IllegalArgumentException for an empty option, one with a ',', or one that has its own setting
     */
    public MountOptions {
        mountOptions = List.copyOf(mountOptions);
        for (String o : mountOptions) {
            if (o.isEmpty() || o.contains(",")) {
                throw new IllegalArgumentException("mount option must be one non-empty option: '" + o + "'");
            }
            if (o.equals("allow_other") || o.equals("default_permissions") || o.equals("ro")
                    || o.startsWith("fsname=") || o.startsWith("subtype=")) {
                throw new IllegalArgumentException("mount option '" + o + "' has its own setting in MountOptions "
                        + "(withAllowOther, withDefaultPermissions, withReadOnly, withFsName, withSubtype)");
            }
        }
    }

    /** libfuse's own default for the multi-threaded loop's worker count. */
    public static final int DEFAULT_THREADS = 10;

    /**
     * {@return the defaults: multi-threaded with up to {@value #DEFAULT_THREADS}
     * workers (as libfuse), no clone_fd, fsname and subtype "panfuse", nothing
     * else set}
     */
    public static MountOptions defaults() {
        return new MountOptions("panfuse", "panfuse", false, false, false, List.of(), DEFAULT_THREADS, false, false);
    }

    /**
     * {@return these options with {@code name} as the "device" column of
     * /proc/mounts (fsname=; ',' and '\' are escaped for libfuse)}
     *
     * @param name the name shown
     */
    public MountOptions withFsName(String name) {
        return new MountOptions(name, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /**
     * {@return these options with {@code type} as the subtype (subtype=): the
     * mount shows as fuse.TYPE in /proc/mounts}
     *
     * @param type the subtype
     */
    public MountOptions withSubtype(String type) {
        return new MountOptions(fsName, type, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /**
     * {@return these options mounting read-only (ro), or not} Read-only, the
     * kernel refuses every change with EROFS before it reaches the filesystem.
     *
     * @param on true for a read-only mount
     */
    public MountOptions withReadOnly(boolean on) {
        return new MountOptions(fsName, subtype, on, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /**
     * {@return these options letting other users than the mounting one use
     * the mount (allow_other), or not} Non-root needs user_allow_other in
     * /etc/fuse.conf. With other users in, {@link #withDefaultPermissions}
     * (or checks of the filesystem's own) keep them to what file modes allow.
     *
     * @param on true to let other users in
     */
    public MountOptions withAllowOther(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, on, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /**
     * {@return these options with the kernel checking file modes itself
     * (default_permissions), or leaving access checks to the filesystem}
     *
     * @param on true for the kernel's checks
     */
    public MountOptions withDefaultPermissions(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, on, mountOptions, threads, cloneFd, debug);
    }

    /**
     * With {@code options} as the further -o options (replacing those set
     * before), passed to libfuse verbatim, one option per element.
     *
     * @param options the options, e.g. "noatime"
     * @return these options with those further options
     * @throws IllegalArgumentException as the constructor
     */
    public MountOptions withMountOptions(List<String> options) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, options, threads, cloneFd, debug);
    }

    /**
     * Adds one further -o option to those set before (e.g. "noatime",
     * "max_read=131072", "allow_root"); one already there is not added twice.
     *
     * @param option the option
     * @return these options with that one added
     * @throws IllegalArgumentException as the constructor
     */
    public MountOptions withMountOption(String option) {
        if (mountOptions.contains(option)) {
            return this;
        }
        List<String> all = new ArrayList<>(mountOptions);
        all.add(option);
        return withMountOptions(all);
    }

    /**
     * Has the mount unmounted when the process ends in any way, even killed
     * (auto_unmount), or not. {@link FuseMount#close()} and the JVM's
     * shutdown hook unmount on an orderly exit already; this covers the
     * rest. libfuse then mounts through fusermount3 (which stays behind to
     * watch the process), also as root.
     *
     * @param on true to add auto_unmount, false to remove it
     * @return these options with auto_unmount or without
     */
    public MountOptions withAutoUnmount(boolean on) {
        if (on) {
            return withMountOption("auto_unmount");
        }
        List<String> rest = new ArrayList<>(mountOptions);
        rest.remove("auto_unmount");
        return withMountOptions(rest);
    }

    /**
     * {@return these options with up to {@code n} worker threads} libfuse
     * starts them as requests come and keeps them (panfuse asks it to keep
     * every one: a new thread pays for attaching to the JVM).
     *
     * @param n the most workers; 0 or less runs the single-threaded loop, on the loop thread alone
     */
    public MountOptions withThreads(int n) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, n, cloneFd, debug);
    }

    /**
     * {@return these options with each worker thread reading its own
     * /dev/fuse descriptor (clone_fd), or all sharing the session's}
     *
     * @param on true for a descriptor per worker
     */
    public MountOptions withCloneFd(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, on, debug);
    }

    /**
     * {@return these options logging every operation with its arguments and
     * result (logger org.panfuse.fs.operations, level debug), or not}
     *
     * @param on true to log every operation
     */
    public MountOptions withDebug(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, on);
    }

    /** The single -o argument handed to fuse_session_new. */
    String optionString() {
        List<String> all = new ArrayList<>();
        all.add("fsname=" + escape(fsName));
        all.add("subtype=" + escape(subtype));
        if (readOnly) {
            all.add("ro");
        }
        if (allowOther) {
            all.add("allow_other");
        }
        if (defaultPermissions) {
            all.add("default_permissions");
        }
        all.addAll(mountOptions);
        return String.join(",", all);
    }

    /** libfuse's option parser treats ',' as a separator and '\' as an escape. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,");
    }
}
