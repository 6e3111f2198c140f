package org.panfuse.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountException;
import org.panfuse.fs.lowlevel.MountOptions;
import org.panfuse.fs.passthrough.CachePolicy;
import org.panfuse.fs.passthrough.PassthroughFs;
import org.panfuse.fs.passthrough.PassthroughOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/** {@code panfuse mount SOURCE MOUNTPOINT}: mirrors SOURCE on MOUNTPOINT, in the foreground. */
@Command(name = "mount", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Mirrors the directory SOURCE on MOUNTPOINT until interrupted (Ctrl-C, SIGTERM) or unmounted "
                    + "(fusermount3 -u MOUNTPOINT). Runs in the foreground.",
            "Mounts are nosuid,nodev unless -o suid / -o dev say otherwise (as root)."
        })
final class MountCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "the directory to mirror")
    Path source;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "an empty directory to mount on")
    Path mountpoint;

    @Option(names = {"-r", "--read-only"}, description = "mount read-only")
    boolean readOnly;

    @Option(names = "--allow-other",
            description = "let other users in (with default_permissions: the kernel checks file modes)")
    boolean allowOther;

    @Option(names = "--cache", paramLabel = "POLICY", defaultValue = "auto",
            description = "never: names and attributes not cached, file data only while open; auto: names and "
                    + "attributes for 1s, data across opens while the file is unchanged; always: a day, and data "
                    + "across opens, for sources nobody else changes (default: ${DEFAULT-VALUE})")
    CachePolicy cache;

    @Option(names = "--direct-io", description = "bypass the page cache: every read and write reaches SOURCE")
    boolean directIo;

    @Option(names = "--writeback-cache", description = "let the kernel gather writes in its page cache")
    boolean writebackCache;

    @Option(names = "--splice", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "move file data by splice (default: on; --no-splice copies through an off-heap buffer)")
    boolean splice;

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads of the multi-threaded loop, started as needed (default: 10, as libfuse)")
    Integer threads;

    @Option(names = "--single-threaded", description = "serve all requests on one thread")
    boolean singleThreaded;

    @Option(names = "--clone-fd", description = "one /dev/fuse descriptor per worker thread")
    boolean cloneFd;

    @Option(names = "--fd-cache", paramLabel = "N",
            description = "O_PATH descriptors kept open for inodes (default: half the descriptor limit)")
    Integer fdCache;

    @Option(names = "--debug", description = "log every operation with its arguments and result")
    boolean debug;

    @Option(names = "--clear-stale",
            description = "if MOUNTPOINT is left behind by a process that died, detach it first (fusermount3 -u -z)")
    boolean clearStale;

    @Option(names = "-o", paramLabel = "OPT[,OPT...]",
            description = "mount options: ro, allow_other and default_permissions as the options above; "
                    + "others are passed to the kernel (e.g. -o noatime,max_read=131072)")
    List<String> mountOptions = new ArrayList<>();

    /** The most worker threads a mount may ask for: each holds a native stack and a JVM thread. */
    static final int MAX_THREADS = 1024;

    @Override
    public Integer call() throws InterruptedException {
        configureLogging();
        if (threads != null && (threads < 1 || threads > MAX_THREADS)) {
            throw UserError.usage("--threads must be from 1 to " + MAX_THREADS + ", not " + threads);
        }
        if (fdCache != null && fdCache < 16) {
            throw UserError.usage("--fd-cache must be at least 16, not " + fdCache);
        }
        List<String> kernelOptions = new ArrayList<>();
        for (String option : MountOptionList.split(mountOptions)) {
            switch (option) {
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                // Other users are let in only with the kernel checking modes and ACLs, and each
                // request run as its caller: never a mount that lets everybody act as root.
                case "allow_other" -> allowOther = true;
                case "default_permissions" -> { }
                default -> {
                    if (option.startsWith("fsname=") || option.startsWith("subtype=")) {
                        throw UserError.usage("-o " + option + ": panfuse names its mounts itself");
                    }
                    kernelOptions.add(option);
                }
            }
        }
        MountPreflight.check(source, mountpoint, clearStale);

        PassthroughOptions fsOptions = PassthroughOptions.defaults().withCache(cache)
                .withWritebackCache(writebackCache).withSplice(splice).withDirectIo(directIo)
                .withFdCacheSize(fdCache == null ? 0 : fdCache).withDefaultPermissions(allowOther);
        MountOptions options = MountOptions.defaults()
                .withFsName(source.toAbsolutePath().normalize().toString())
                .withReadOnly(readOnly)
                .withAllowOther(allowOther)
                .withDefaultPermissions(allowOther)
                .withMountOptions(kernelOptions)
                .withCloneFd(cloneFd)
                .withDebug(debug);
        if (singleThreaded) {
            options = options.withThreads(0);
        } else if (threads != null) {
            options = options.withThreads(threads);
        }

        PassthroughFs fs;
        try {
            fs = PassthroughFs.open(source, fsOptions);
        } catch (ErrnoException e) {
            throw new UserError("source " + source + " cannot be opened: " + e.getMessage());
        }
        FuseMount mount;
        try {
            mount = FuseMount.mount(fs, mountpoint, options);
        } catch (MountException e) {
            fs.close();
            throw new UserError(e.getMessage() + " (libfuse's reason is printed above)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Thread.ofPlatform().daemon().name("panfuse-unmount-watch").start(() -> {
            try {
                mount.awaitUnmount();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            stop.countDown();
        });
        System.err.println("panfuse: " + source + " mounted on " + mountpoint + " (Ctrl-C or SIGTERM unmounts)");
        stop.await();
        mount.close();
        System.err.println("panfuse: unmounted " + mountpoint);
        return 0;
    }

    private void configureLogging() {
        // slf4j-simple reads these when the first logger is made, which is after this point.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        if (debug) {
            System.setProperty("org.slf4j.simpleLogger.log.org.panfuse", "debug");
        }
    }
}
