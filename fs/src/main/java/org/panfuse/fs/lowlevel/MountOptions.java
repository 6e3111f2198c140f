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

    /** Multi-threaded with up to {@value #DEFAULT_THREADS} workers (as libfuse), no clone_fd, nothing else set. */
    public static MountOptions defaults() {
        return new MountOptions("panfuse", "panfuse", false, false, false, List.of(), DEFAULT_THREADS, false, false);
    }

    /** With {@code name} as the "device" column of /proc/mounts (fsname=; ',' and '\' are escaped for libfuse). */
    public MountOptions withFsName(String name) {
        return new MountOptions(name, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /** With {@code type} as the subtype: the mount shows as fuse.TYPE in /proc/mounts (subtype=). */
    public MountOptions withSubtype(String type) {
        return new MountOptions(fsName, type, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /** Mounted read-only (ro), or not. */
    public MountOptions withReadOnly(boolean on) {
        return new MountOptions(fsName, subtype, on, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /** Other users may use the mount (allow_other), or not; non-root needs user_allow_other in /etc/fuse.conf. */
    public MountOptions withAllowOther(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, on, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    /** The kernel checks file modes itself (default_permissions), or leaves access checks to the filesystem. */
    public MountOptions withDefaultPermissions(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, on, mountOptions, threads, cloneFd, debug);
    }

    /**
     * With {@code options} as the further -o options (replacing those set
     * before), passed to libfuse verbatim, one option per element.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public MountOptions withMountOptions(List<String> options) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, options, threads, cloneFd, debug);
    }

    /**
     * Adds one further -o option to those set before (e.g. "noatime",
     * "max_read=131072", "allow_root"); one already there is not added twice.
     *
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
     */
    public MountOptions withAutoUnmount(boolean on) {
        if (on) {
            return withMountOption("auto_unmount");
        }
        List<String> rest = new ArrayList<>(mountOptions);
        rest.remove("auto_unmount");
        return withMountOptions(rest);
    }

    /** With up to {@code n} worker threads; 0 or less runs the single-threaded loop. */
    public MountOptions withThreads(int n) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, n, cloneFd, debug);
    }

    /** Each worker thread reads its own /dev/fuse descriptor (clone_fd), or all share the session's. */
    public MountOptions withCloneFd(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, on, debug);
    }

    /** Every operation is logged with its arguments and result (logger org.panfuse.fs.operations, debug), or not. */
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
