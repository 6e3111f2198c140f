package org.panfuse.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.panfuse.fs.errno.ErrnoException;
import org.panfuse.fs.lowlevel.FuseMount;
import org.panfuse.fs.lowlevel.MountException;
import org.panfuse.fs.lowlevel.MountOptions;
import org.panfuse.fs.passthrough.CachePolicy;
import org.panfuse.fs.passthrough.KernelPassthroughMode;
import org.panfuse.fs.passthrough.PassthroughFs;
import org.panfuse.fs.passthrough.PassthroughOptions;
import org.panfuse.fs.tree.SourceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code panfuse mount SOURCE MOUNTPOINT}: mirrors SOURCE on MOUNTPOINT, in
 * the foreground unless {@code -b}; {@code panfuse mount --config FILE
 * [MOUNTPOINT]}: the sources of a config file under one mountpoint. The
 * FUSE form {@code panfuse SOURCE MOUNTPOINT -o ...} ({@link FuseForm}) is
 * this command with {@code --background}.
 */
@Command(name = "mount", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Mirrors the directory SOURCE on MOUNTPOINT, or with --config the directories of a config file, each "
                    + "as an entry of MOUNTPOINT, until interrupted (Ctrl-C, SIGTERM) or unmounted "
                    + "(umount or fusermount3 -u MOUNTPOINT). Runs in the foreground; with -b it returns once the "
                    + "mount serves and the server goes on in the background.",
            "panfuse SOURCE MOUNTPOINT [-o OPT,...] (no 'mount': FUSE's own form, as mount.fuse3 runs it for an "
                    + "fstab line of type fuse.panfuse) is this command in the background unless -f or -d.",
            "Mounts are nosuid,nodev unless -o suid / -o dev say otherwise (as root)."
        })
final class MountCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "SOURCE MOUNTPOINT",
            description = "the directory to mirror and an empty directory to mount on; with --config, MOUNTPOINT "
                    + "alone (or the config's mountpoint)")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "mount the [[source]] directories of this TOML file, each as an entry of MOUNTPOINT; "
                    + "its keys set any option below, and the command line wins over them")
    Path config;

    @Option(names = "--encrypt",
            description = "show an encrypted, read-only view of SOURCE (or of the config's sources) in gocryptfs's "
                    + "reverse format, for backups; the key file is SOURCE/.gocryptfs.reverse.conf (panfuse init), "
                    + "or --key-file, or the config's key_file")
    boolean encrypt;

    @Option(names = "--decrypt",
            description = "show the plaintext of BACKUP (given as SOURCE: a copy of an encrypted view), read-only; "
                    + "the key file is BACKUP/gocryptfs.conf, or --key-file")
    boolean decrypt;

    @Option(names = "--key-file", paramLabel = "FILE", description = "with --encrypt or --decrypt: the key file")
    Path keyFile;

    @Mixin
    KeyOptions keys;

    @Option(names = {"-f", "--foreground"},
            description = "stay in the foreground (the default here; the FUSE form goes to the background without it)")
    boolean foreground;

    @Option(names = {"-b", "--background"},
            description = "return once the mount serves (exit 0) or has failed (its error, nonzero exit); the server "
                    + "goes on detached, logging to syslog (the journal) or --log-file. -f and -d win over it")
    boolean background;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "in the background: append the server's log to FILE instead of syslog")
    Path logFile;

    @Option(names = {"-q", "--quiet"},
            description = "only warnings and errors: no 'mounted on', 'unmounted' or kernel passthrough line")
    boolean quiet;

    /** Set in the detached server that {@link BackgroundMount} starts: the token its readiness line carries. */
    @Option(names = BackgroundMount.CHILD_OPTION, hidden = true, paramLabel = "TOKEN")
    String daemonChild;

    @Option(names = "--check", description = "with --config: check the file and print the sources, mount nothing")
    boolean check;

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

    @Option(names = "--passthrough", paramLabel = "WHEN", defaultValue = "auto",
            description = "kernel passthrough (Linux 6.9+, as root): the kernel reads and writes open files of SOURCE "
                    + "itself. auto: where the kernel, the privileges and the options allow it (said at start); "
                    + "always: or refuse to mount; never: every read and write through panfuse "
                    + "(default: ${DEFAULT-VALUE})")
    KernelPassthroughMode passthrough;

    @Option(names = "--splice", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "move file data by splice (default: on; --no-splice copies through an off-heap buffer)")
    boolean splice;

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads of the multi-threaded loop, started as needed (default: 10, as libfuse)")
    Integer threads;

    @Option(names = {"-s", "--single-threaded"}, description = "serve all requests on one thread")
    boolean singleThreaded;

    @Option(names = "--clone-fd", description = "one /dev/fuse descriptor per worker thread")
    boolean cloneFd;

    @Option(names = "--fd-cache", paramLabel = "N",
            description = "O_PATH descriptors kept open for inodes (default: half the descriptor limit)")
    Integer fdCache;

    @Option(names = {"-d", "--debug"},
            description = "log every operation with its arguments and result; stays in the foreground (as libfuse's -d)")
    boolean debug;

    @Option(names = "--clear-stale",
            description = "if MOUNTPOINT is left behind by a process that died, detach it first (fusermount3 -u -z)")
    boolean clearStale;

    @Option(names = "-o", paramLabel = "OPT[,OPT...]",
            description = "mount options: ro, allow_other and default_permissions as the options above; panfuse's own "
                    + "options by their fstab names (config=FILE, cache=, passthrough=, encrypt, key_file=, "
                    + "passfile=, threads=, direct_io, debug, log_file=, ...: each option above with '_' for '-'); "
                    + "the kernel's (noatime, nosuid, dev, ..., max_read=N) and libfuse's (allow_root, auto_unmount) "
                    + "are passed on; fstab's and systemd's (defaults, nofail, _netdev, noauto, user, x-*) are "
                    + "ignored; anything else is refused")
    List<String> mountOptions = new ArrayList<>();

    /** The encrypted views' readahead (the kernel's default is 128 KiB): 4 MiB measured best (benchmarks/). */
    static final int VIEW_READAHEAD_KIB = 4096;

    /** The most worker threads a mount may ask for: each holds a native stack and a JVM thread. */
    static final int MAX_THREADS = 1024;

    @Override
    public Integer call() throws InterruptedException {
        configureLogging();
        // The detached server takes over its streams first: whatever it says until ready reaches the waiting command.
        DetachedServer detached = daemonChild == null ? null
                : DetachedServer.takeOver(daemonChild, logFile, spec.commandLine());
        MountConfig file = config == null ? null : MountConfig.read(config);
        Path source = null;
        Path mountpoint;
        if (file == null) {
            if (check) {
                throw UserError.usage("--check goes with --config FILE");
            }
            if (paths.size() != 2) {
                throw UserError.usage("give SOURCE and MOUNTPOINT (or --config FILE and MOUNTPOINT)");
            }
            source = paths.get(0);
            mountpoint = paths.get(1);
        } else {
            if (paths.size() == 2 && isFstabLabel(paths.get(0))) {
                // An fstab line needs a first field: with config=FILE it is a name, or the config file itself.
                paths.remove(0);
            }
            if (paths.size() > 1) {
                throw UserError.usage("with --config, give only MOUNTPOINT: the sources are in " + config);
            }
            applyConfig(file);
            mountpoint = paths.isEmpty() ? (Path) file.options.get("mountpoint") : paths.get(0);
            if (mountpoint == null && !check) {
                throw UserError.usage("no MOUNTPOINT: give one, or set mountpoint in " + config);
            }
        }
        if (mountpoint != null && FUSE_FD_MOUNTPOINT.matcher(mountpoint.toString()).matches()) {
            throw UserError.usage("MOUNTPOINT " + mountpoint + " is a FUSE descriptor that mount.fuse3's drop_privileges "
                    + "mounted already: panfuse does not support drop_privileges (it serves other users with root's "
                    + "capabilities); umount the mountpoint and drop the option");
        }
        if (mountpoint != null) {
            // The server leaves its working directory once detached; libfuse unmounts by this name.
            mountpoint = mountpoint.toAbsolutePath();
        }
        boolean goBackground = background && !foreground && !debug && daemonChild == null;
        if (logFile != null && !goBackground && daemonChild == null) {
            throw UserError.usage("--log-file is for the background server (-b, or the FUSE form without -f): in the "
                    + "foreground the log is stderr");
        }
        if (debug) {
            // Loggers read their level when they are made, which is after this point.
            System.setProperty("org.slf4j.simpleLogger.log.org.panfuse", "debug");
        }
        if (threads != null && (threads < 1 || threads > MAX_THREADS)) {
            throw UserError.usage("--threads must be from 1 to " + MAX_THREADS + ", not " + threads);
        }
        if (fdCache != null && fdCache < 16) {
            throw UserError.usage("--fd-cache must be at least 16, not " + fdCache);
        }
        List<String> kernelOptions = kernelOptions();
        if (passthrough == KernelPassthroughMode.ALWAYS && (writebackCache || directIo)) {
            throw UserError.usage("--passthrough=always cannot go with " + (writebackCache ? "--writeback-cache" : "--direct-io")
                    + ": both need the data to pass through panfuse");
        }
        if (writebackCache && allowOther) {
            throw UserError.usage("--writeback-cache cannot go with --allow-other: the kernel writes cached data "
                    + "back without saying whose it is, so it could not be written as its writer");
        }
        if (encrypt || decrypt) {
            requireViewOptions(file);
        } else if (keyFile != null || keys.passfile != null || keys.extpass != null || keys.masterkey != null) {
            throw UserError.usage("--key-file, --passfile, --extpass and --masterkey go with --encrypt or --decrypt");
        }
        if (check) {
            if (mountpoint != null) {
                MountPreflight.requireOutsideAll(file, mountpoint);
            }
            System.out.print(describe(file, mountpoint));
            return 0;
        }
        if (file == null) {
            MountPreflight.check(source, mountpoint, clearStale);
        } else {
            MountPreflight.check(file, mountpoint, clearStale);
        }
        if (goBackground) {
            return startInBackground();
        }

        PassthroughOptions fsOptions = PassthroughOptions.defaults().withCache(cache)
                .withWritebackCache(writebackCache).withSplice(splice).withDirectIo(directIo)
                .withFdCacheSize(fdCache == null ? 0 : fdCache).withDefaultPermissions(allowOther)
                .withReadOnly(readOnly).withPassthrough(passthrough);
        String fsName = (file == null ? source : config).toAbsolutePath().normalize().toString();
        MountOptions options = MountOptions.defaults()
                .withFsName(fsName)
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

        org.panfuse.fs.lowlevel.LowLevelFileSystem fs;
        AutoCloseable closer;
        List<org.panfuse.fs.tree.Source> opened;
        if (encrypt || decrypt) {
            options = options.withReadOnly(true).withSubtype(encrypt ? "panfuse-encrypt" : "panfuse-decrypt");
            EncryptedViews.Opened view = encrypt ? EncryptedViews.encrypt(source, file, keyFile, keys)
                    : EncryptedViews.decrypt(source, keyFile, keys);
            fs = view.fs();
            closer = view.closer();
            opened = view.sources();
        } else {
            PassthroughFs passthrough;
            try {
                if (file == null) {
                    passthrough = PassthroughFs.open(source, fsOptions);
                } else {
                    long nanos = file.modified.to(java.util.concurrent.TimeUnit.NANOSECONDS);
                    passthrough = PassthroughFs.open(file.sources, fsOptions, Math.floorDiv(nanos, 1_000_000_000L),
                            Math.floorMod(nanos, 1_000_000_000L));
                }
            } catch (ErrnoException e) {
                throw new UserError("a source cannot be opened: " + e.getMessage());
            }
            fs = passthrough;
            closer = passthrough;
            opened = passthrough.sources();
        }
        try {
            // What was opened is what will be served: check that, not the name checked before (a symlink
            // in the path could have been swapped in between).
            for (var source1 : opened) {
                MountPreflight.requireOutside(source1.realPath(), mountpoint);
            }
        } catch (UserError e) {
            closeQuietly(closer);
            throw e;
        }
        FuseMount mount;
        try {
            mount = FuseMount.mount(fs, mountpoint, options);
        } catch (MountException e) {
            closeQuietly(closer);
            // The message carries libfuse's reason (or says where it went).
            throw new UserError(e.getMessage());
        }
        if (!(encrypt || decrypt)) {
            var kernel = mount.kernelPassthrough();
            if (passthrough == KernelPassthroughMode.ALWAYS && !kernel.inForce()) {
                mount.close();
                throw new UserError("kernel passthrough cannot be used: " + kernel.reason());
            }
            if (passthrough != KernelPassthroughMode.NEVER) {
                String why = directIo ? "--direct-io sends every read and write through panfuse"
                        : writebackCache ? "the kernel does not pass files through with the writeback cache"
                        : kernel.reason();
                info("panfuse: " + (!kernel.inForce() ? "kernel passthrough off: " + why
                        : readOnly ? "kernel passthrough not used: a read-only mount reads through panfuse, "
                                + "which leaves atime alone (O_NOATIME)"
                        : kernel.reason()));
            }
        }
        if (encrypt || decrypt) {
            // Every read costs AES work: wide readahead windows keep both the kernel and the workers busy.
            mount.readahead(VIEW_READAHEAD_KIB);
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
        String what = (encrypt ? "encrypted view of " : decrypt ? "decrypted view of " : "")
                + (file == null ? source.toString() : config + " (" + file.sources.size() + " sources)");
        // The state `panfuse list` reads; written by the serving process (in the background, the detached one).
        MountRegistry.Published published = MountRegistry.publish(mount, options, opened);
        info("panfuse: " + what + " mounted on " + mountpoint + (detached == null ? " (Ctrl-C or SIGTERM unmounts)"
                : " (server pid " + ProcessHandle.current().pid() + "; umount " + mountpoint + " or SIGTERM unmounts)"));
        SdNotify.notify("READY=1", "STATUS=" + what + " mounted on " + mountpoint);
        if (detached != null) {
            detached.ready();
        }
        stop.await();
        SdNotify.notify("STOPPING=1");
        mount.close();
        published.withdraw();
        info("panfuse: unmounted " + mountpoint);
        return 0;
    }

    /**
     * Whether {@code first}, given before MOUNTPOINT with --config, is what
     * an fstab line's first field holds for a config mount: a name without
     * '/' (e.g. "panfuse"), or the config file's own path. A directory there
     * would be a mistake (the sources are the config's), and stays one.
     */
    private boolean isFstabLabel(Path first) {
        if (!first.toString().contains("/")) {
            return true;
        }
        try {
            return java.nio.file.Files.isSameFile(first, config);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A mountpoint of the form mount.fuse3's drop_privileges gives: the FUSE descriptor it opened and mounted. */
    private static final java.util.regex.Pattern FUSE_FD_MOUNTPOINT = java.util.regex.Pattern.compile("/dev/fd/[0-9]+");

    /** A line that says how things went, not what went wrong: left out with --quiet. */
    private void info(String line) {
        if (!quiet) {
            System.err.println(line);
        }
    }

    /**
     * The command's side of a background mount: everything checked here has
     * passed; the server started by {@link BackgroundMount} checks again and
     * mounts. A password this terminal would be asked for is asked here and
     * handed over on the server's stdin.
     */
    private int startInBackground() {
        if (logFile == null && !quiet && !SyslogStream.available()) {
            System.err.println("panfuse: warning: no syslog at " + SyslogStream.address() + ": the background "
                    + "server's messages are lost (give --log-file FILE)");
        }
        if (logFile != null) {
            try (var ignored = java.nio.file.Files.newOutputStream(logFile, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                // writable: the server's stderr will be opened the same way
            } catch (java.nio.file.AccessDeniedException e) {
                throw new UserError("cannot write the log file " + logFile + ": permission denied");
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UserError("cannot write the log file " + logFile + ": its directory does not exist");
            } catch (java.io.IOException e) {
                throw new UserError("cannot write the log file " + logFile + ": " + e.getMessage());
            }
        }
        List<String> extra = new ArrayList<>();
        byte[] secret = null;
        if ((encrypt || decrypt) && keys.masterkey == null && keys.passfile == null && keys.extpass == null) {
            secret = keys.password("Password: ", false);
            extra.add("--passfile=/dev/stdin");
        } else if ("stdin".equals(keys.masterkey)) {
            secret = BackgroundMount.firstLine(System.in);
        }
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals("mount")) {
            args.remove(0);
        }
        return BackgroundMount.start(args, extra, logFile, secret);
    }

    /** What the encrypted views take and refuse of the other options. */
    private void requireViewOptions(MountConfig file) {
        if (encrypt && decrypt) {
            throw UserError.usage("--encrypt or --decrypt, not both");
        }
        if (decrypt && file != null) {
            throw UserError.usage("--decrypt shows one backup: give BACKUP and MOUNTPOINT, not --config");
        }
        if (allowOther) {
            throw UserError.usage("--allow-other does not go with --encrypt or --decrypt: an encrypted view is "
                    + "served as the user who mounts it, without each caller's own rights on the sources, so "
                    + "only that user may use it");
        }
        if (writebackCache || directIo) {
            throw UserError.usage("--writeback-cache and --direct-io do not go with the read-only encrypted views");
        }
    }

    private static void closeQuietly(AutoCloseable closer) {
        try {
            closer.close();
        } catch (Exception e) {
            // the error that made us close is the one to report
        }
    }

    /**
     * The -o options left after {@link DashOptions#expand}: ro/rw/allow_other/default_permissions set their
     * options; the kernel's and libfuse's go to libfuse, fstab's are dropped, the rest refused.
     */
    private List<String> kernelOptions() {
        List<String> kernel = new ArrayList<>();
        for (String option : MountOptionList.split(mountOptions)) {
            switch (option) {
                case "ro" -> readOnly = true;
                case "rw" -> { } // the default; never undoes an explicit --read-only
                // Other users are let in only with the kernel checking modes and ACLs, and each
                // request run as its caller: never a mount that lets everybody act as root.
                case "allow_other" -> allowOther = true;
                case "default_permissions" -> { }
                default -> {
                    if (DashOptions.kind(option) == DashOptions.Kind.LIBFUSE) {
                        kernel.add(option);
                    }
                }
            }
        }
        return kernel;
    }

    /** True if the option was given on the command line (which wins over the config file). */
    private boolean given(String name) {
        return spec.commandLine().getParseResult().hasMatchedOption(name);
    }

    /** Takes each option the config file sets and the command line does not. */
    @SuppressWarnings("unchecked")
    private void applyConfig(MountConfig file) {
        var o = file.options;
        if (o.containsKey("read_only") && !given("--read-only")) {
            readOnly = (Boolean) o.get("read_only");
        }
        if (o.containsKey("allow_other") && !given("--allow-other")) {
            allowOther = (Boolean) o.get("allow_other");
        }
        if (o.containsKey("cache") && !given("--cache")) {
            String policy = (String) o.get("cache");
            try {
                cache = CachePolicy.valueOf(policy.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw UserError.usage(config + ": cache must be \"never\", \"auto\" or \"always\", not \""
                        + policy + "\"");
            }
        }
        if (o.containsKey("encrypt") && !given("--encrypt")) {
            encrypt = (Boolean) o.get("encrypt");
        }
        if (o.containsKey("direct_io") && !given("--direct-io")) {
            directIo = (Boolean) o.get("direct_io");
        }
        if (o.containsKey("writeback_cache") && !given("--writeback-cache")) {
            writebackCache = (Boolean) o.get("writeback_cache");
        }
        if (o.containsKey("passthrough") && !given("--passthrough")) {
            String mode = (String) o.get("passthrough");
            try {
                passthrough = KernelPassthroughMode.valueOf(mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw UserError.usage(config + ": passthrough must be \"auto\", \"always\" or \"never\", not \""
                        + mode + "\"");
            }
        }
        if (o.containsKey("splice") && !given("--splice")) {
            splice = (Boolean) o.get("splice");
        }
        if (o.containsKey("threads") && !given("--threads")) {
            threads = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (Long) o.get("threads")));
        }
        if (o.containsKey("single_threaded") && !given("--single-threaded")) {
            singleThreaded = (Boolean) o.get("single_threaded");
        }
        if (o.containsKey("clone_fd") && !given("--clone-fd")) {
            cloneFd = (Boolean) o.get("clone_fd");
        }
        if (o.containsKey("fd_cache") && !given("--fd-cache")) {
            fdCache = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (Long) o.get("fd_cache")));
        }
        if (o.containsKey("debug") && !given("--debug")) {
            debug = (Boolean) o.get("debug");
        }
        if (o.containsKey("clear_stale") && !given("--clear-stale")) {
            clearStale = (Boolean) o.get("clear_stale");
        }
        if (o.containsKey("options")) {
            // The file's first, then the command line's: a later option overrides an earlier one.
            List<String> all = new ArrayList<>((List<String>) o.get("options"));
            all.addAll(mountOptions);
            mountOptions = all;
        }
    }

    /** What --check prints: each source resolved, and the options in force. */
    private String describe(MountConfig file, Path mountpoint) {
        StringBuilder sb = new StringBuilder();
        sb.append(config).append(": ").append(file.sources.size()).append(file.sources.size() == 1 ? " source" : " sources")
                .append(mountpoint == null ? "" : ", mounted on " + mountpoint).append('\n');
        for (SourceSpec s : file.sources) {
            String real;
            try {
                real = s.path().toRealPath().toString();
            } catch (java.io.IOException e) {
                real = "?";
            }
            sb.append("  ").append(s.name()).append(" = ").append(real);
            List<String> notes = new ArrayList<>();
            if (s.readOnly() || readOnly) {
                notes.add("read-only");
            }
            if (s.oneFileSystem()) {
                notes.add("one file system");
            }
            if (!s.excludes().isEmpty()) {
                notes.add("exclude " + String.join(" ", s.excludes()));
            }
            sb.append(notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")").append('\n');
        }
        sb.append("options: cache=").append(cache.name().toLowerCase(Locale.ROOT))
                .append(readOnly ? " read-only" : "")
                .append(allowOther ? " allow-other" : "")
                .append(mountOptions.isEmpty() ? "" : " -o " + String.join(",", mountOptions)).append('\n');
        return sb.toString();
    }

    static void configureLogging() {
        // slf4j-simple reads these when the first logger is made, which is after this point.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // JGit logs the exclude patterns it cannot parse; the config check reports them in one line instead.
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jgit", "off");
    }
}
