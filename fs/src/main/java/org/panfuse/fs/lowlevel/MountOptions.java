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

    public MountOptions withFsName(String name) {
        return new MountOptions(name, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    public MountOptions withSubtype(String type) {
        return new MountOptions(fsName, type, readOnly, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    public MountOptions withReadOnly(boolean on) {
        return new MountOptions(fsName, subtype, on, allowOther, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    public MountOptions withAllowOther(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, on, defaultPermissions, mountOptions, threads, cloneFd, debug);
    }

    public MountOptions withDefaultPermissions(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, on, mountOptions, threads, cloneFd, debug);
    }

    public MountOptions withMountOptions(List<String> options) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, options, threads, cloneFd, debug);
    }

    public MountOptions withThreads(int n) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, n, cloneFd, debug);
    }

    public MountOptions withCloneFd(boolean on) {
        return new MountOptions(fsName, subtype, readOnly, allowOther, defaultPermissions, mountOptions, threads, on, debug);
    }

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
