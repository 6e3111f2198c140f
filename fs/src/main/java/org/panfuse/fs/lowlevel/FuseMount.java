package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.panfuse.bindings.fuse_args;
import org.panfuse.bindings.fuse_lowlevel_ops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mounted {@link LowLevelFileSystem}, served by libfuse's request loop on a
 * background thread.
 *
 * <pre>{@code
 * try (FuseMount mount = FuseMount.mount(fs, Path.of("/mnt/x"), MountOptions.defaults())) {
 *     mount.awaitUnmount();   // or do work while it is mounted
 * }
 * }</pre>
 *
 * The session's life is new → mount → loop → exit → unmount → destroy, in
 * that order whatever happens: {@link #close()} runs the second half, and so
 * does a shutdown hook if the JVM exits while mounted.
 *
 * <p>Threads, as they show in logs and thread dumps: the request loop runs
 * on "panfuse-loop MOUNTPOINT" (which serves the requests itself with
 * {@code threads} 0); libfuse's workers, native threads the JVM attaches on
 * their first request, are named "panfuse-worker-N MOUNTPOINT" then.
 * libfuse's own messages go to the SLF4J logger
 * {@code org.panfuse.fs.lowlevel.libfuse}.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);

    private KernelPassthrough passthrough = KernelPassthrough.off("not mounted");
    private Dispatcher dispatcher;
    private static final long LOOP_EXIT_WAIT_SECONDS = 30;
    private static final long UNMOUNT_GRACE_SECONDS = 2;

    private final Path mountpoint;
    private final Arena arena;
    private final MemorySegment session;
    private final Thread loop;
    private final Thread shutdownHook;
    private final List<String> operations;
    private final DeferredReplies deferred;
    private final KernelCache kernelCache;
    private volatile int loopResult = Integer.MIN_VALUE;
    private boolean closed;

    private FuseMount(Path mountpoint, Arena arena, MemorySegment session, MountOptions options, List<String> operations,
            DeferredReplies deferred) {
        this.mountpoint = mountpoint;
        this.deferred = deferred;
        this.arena = arena;
        this.session = session;
        this.operations = List.copyOf(operations);
        this.kernelCache = new KernelCache(session, mountpoint);
        this.loop = Thread.ofPlatform().name("panfuse-loop " + mountpoint).unstarted(() -> serve(options));
        this.shutdownHook = Thread.ofPlatform().name("panfuse-unmount " + mountpoint).unstarted(this::closeFromHook);
    }

    /**
     * Mounts {@code fs} on {@code mountpoint} and starts serving it. Returns
     * once the kernel's INIT is answered: {@link LowLevelFileSystem#init}
     * runs on the calling thread, before this returns; the requests are then
     * served on the loop and worker threads until {@link #close()} or an
     * unmount from outside. A JVM shutdown hook closes the mount if the JVM
     * exits while it is mounted.
     *
     * @param fs         the filesystem; which operations it overrides is read here, once
     * @param mountpoint an existing directory (mounting needs root, or libfuse's fusermount3)
     * @param options    how to mount and serve
     * @return the mount, serving
     * @throws LibFuseUnavailableException if libfuse3 is not installed, or this is not x86_64 Linux with glibc
     * @throws MountException              if libfuse cannot create the session or mount it, or the
     *                                     kernel's INIT does not come; its message carries libfuse's
     *                                     reason ({@link MountException#reason()})
     */
    public static FuseMount mount(LowLevelFileSystem fs, Path mountpoint, MountOptions options) {
        LibFuse.require();
        LibFuseLog.install();
        Arena arena = Arena.ofShared();
        MemorySegment session = MemorySegment.NULL;
        boolean mounted = false;
        MallocTuning.once();
        // libfuse says why a session or mount fails only in its log, on this thread: collected for the exception.
        LibFuseLog.Capture libfuse = LibFuseLog.capture();
        try {
            Dispatcher dispatcher = new Dispatcher(fs, options.debug(), mountpoint.toString());
            MemorySegment ops = dispatcher.build(arena);
            MemorySegment args = fuse_args.allocate(arena);
            args.fill((byte) 0);
            addArg(arena, args, "panfuse");
            addArg(arena, args, "-o");
            addArg(arena, args, options.optionString());
            session = fuse_session_new(args, ops, fuse_lowlevel_ops.sizeof(), MemorySegment.NULL);
            // fuse_session_new has parsed and copied what it keeps.
            fuse_opt_free_args(args);
            if (session.equals(MemorySegment.NULL)) {
                throw failure("libfuse could not create a session with options " + options.optionString(), libfuse);
            }
            if (fuse_session_mount(session, arena.allocateFrom(mountpoint.toString())) != 0) {
                throw failure("libfuse could not mount on " + mountpoint, libfuse);
            }
            mounted = true;
            boolean asked = InitHandshake.run(session, dispatcher);
            KernelPassthrough passthrough = asked ? probe(session, dispatcher)
                    : KernelPassthrough.off(dispatcher.passthroughWhyNot);
            FuseMount mount = new FuseMount(mountpoint, arena, session, options, dispatcher.registered(),
                    dispatcher.deferred());
            mount.passthrough = passthrough;
            mount.dispatcher = dispatcher;
            Runtime.getRuntime().addShutdownHook(mount.shutdownHook);
            mount.loop.start();
            LOG.debug("mounted {} with {}; operations: {}", mountpoint, options.optionString(), mount.operations);
            return mount;
        } catch (RuntimeException | Error e) {
            if (mounted) {
                fuse_session_unmount(session);
            }
            if (!session.equals(MemorySegment.NULL)) {
                fuse_session_destroy(session);
            }
            arena.close();
            throw e;
        } finally {
            libfuse.close();
        }
    }

    private static MountException failure(String description, LibFuseLog.Capture libfuse) {
        String reason = libfuse.reason();
        // Without root, libfuse mounts through fusermount3, a process of its own that prints to stderr.
        return new MountException(reason.isEmpty() ? description + " (libfuse gave no reason here; "
                + "fusermount3 prints its own on stderr)" : description, reason);
    }

    /**
     * After an INIT reply that asked for passthrough: whether the kernel
     * takes a backing file from us (it refuses without CAP_SYS_ADMIN, and
     * sends no word on INIT itself). The probe is an unnamed file on tmpfs
     * (the kernel takes regular files only), gone when closed.
     */
    private static KernelPassthrough probe(MemorySegment session, Dispatcher dispatcher) {
        BackingFiles backing = new BackingFiles(fuse_session_fd(session));
        int probe = -1;
        try (Arena a = Arena.ofConfined()) {
            for (String dir : new String[] {"/dev/shm", "/tmp"}) {
                probe = openat.makeInvoker(C_INT).apply(AT_FDCWD(), a.allocateFrom(dir),
                        O_TMPFILE() | O_RDWR() | O_CLOEXEC(), 0600);
                if (probe >= 0) {
                    break;
                }
            }
        }
        if (probe < 0) {
            return KernelPassthrough.off("no temporary file (/dev/shm, /tmp) to try a backing file with");
        }
        try {
            backing.closeBacking(backing.openBacking(probe));
            dispatcher.backing = backing;
            return KernelPassthrough.IN_FORCE;
        } catch (org.panfuse.fs.errno.ErrnoException e) {
            return KernelPassthrough.off(e.errno() == EPERM()
                    ? "the kernel refused a backing file: it needs CAP_SYS_ADMIN (run as root)"
                    : "the kernel refused a backing file: " + e.getMessage());
        } finally {
            org.panfuse.bindings.panfuse_h.close(probe);
        }
    }

    /**
     * Tells the kernel that the filesystem's data changed behind its back:
     * cache invalidation and storing of file data, by inode and name. Usable
     * from any thread while the mount is served; see {@link KernelCache} for
     * what must not be called from inside an operation.
     *
     * @return this mount's kernel cache notifications
     */
    public KernelCache kernelCache() {
        return kernelCache;
    }

    /**
     * {@return whether kernel passthrough is in force on this mount, and why
     * not when it is not} Known from the time {@link #mount} returns.
     */
    public KernelPassthrough kernelPassthrough() {
        return passthrough;
    }

    /** {@return the backing ids open on this mount right now (kernel passthrough; for tests and monitoring)} */
    public int backingFiles() {
        BackingFiles b = dispatcher.backing;
        return b == null ? 0 : b.openIds();
    }

    private static void addArg(Arena arena, MemorySegment args, String arg) {
        if (fuse_opt_add_arg(args, arena.allocateFrom(arg)) != 0) {
            throw new OutOfMemoryError("fuse_opt_add_arg");
        }
    }

    private void serve(MountOptions options) {
        int result;
        if (options.threads() <= 0) {
            result = fuse_session_loop(session);
        } else {
            MemorySegment config = fuse_loop_cfg_create();
            try {
                fuse_loop_cfg_set_max_threads(config, options.threads());
                // Keep every worker: a new native thread pays for attaching to the JVM.
                fuse_loop_cfg_set_idle_threads(config, options.threads());
                fuse_loop_cfg_set_clone_fd(config, options.cloneFd() ? 1 : 0);
                result = fuse_session_loop_mt(session, config);
            } finally {
                fuse_loop_cfg_destroy(config);
            }
        }
        loopResult = result;
        LOG.debug("request loop for {} ended ({})", mountpoint, result);
    }

    private boolean awaitLoop(long seconds) {
        try {
            loop.join(TimeUnit.SECONDS.toMillis(seconds));
            return !loop.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@return the directory the filesystem is mounted on, as given to {@link #mount}} */
    public Path mountpoint() {
        return mountpoint;
    }

    /**
     * {@return the operations registered with libfuse: the names of the
     * {@link LowLevelFileSystem} methods the filesystem overrides} Init and
     * destroy, always registered, are not listed. Unmodifiable.
     */
    public List<String> operations() {
        return operations;
    }

    /** {@return true while the request loop runs (until unmounted from here or from outside)} */
    public boolean isServing() {
        return loop.isAlive();
    }

    /**
     * Sets the kernel's readahead window for this mount, in KiB, and returns
     * whether it took. The kernel starts every FUSE mount at 128 KiB whatever
     * the filesystem offers at INIT; a filesystem that spends CPU per read
     * (decompressing, encrypting) answers sequential reads faster with larger
     * windows, which also bring several requests to its workers at once. Needs
     * root (it is the mount's /sys/class/bdi entry); false, and nothing
     * changed, otherwise.
     *
     * @param kib the readahead window, in KiB
     * @return true if the kernel took it
     */
    public boolean readahead(int kib) {
        try {
            long dev = ((Number) java.nio.file.Files.getAttribute(mountpoint, "unix:dev")).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            java.nio.file.Files.writeString(Path.of("/sys/class/bdi/" + major + ":" + minor + "/read_ahead_kb"),
                    Integer.toString(kib));
            return true;
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("readahead of {} left as it is: {}", mountpoint, e.toString());
            return false;
        }
    }

    /**
     * Blocks until the filesystem is unmounted, from here or from outside
     * (fusermount3 -u), and the request loop has ended.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitUnmount() throws InterruptedException {
        loop.join();
    }

    /**
     * Exits the loop, unmounts and destroys the session. Idempotent, and safe
     * from any thread of the application, but not from inside an operation
     * of this mount (it waits for the workers to end). In order: refuses
     * further {@link #kernelCache()} calls and waits (up to 2 seconds) for
     * those under way; unmounts; waits for the request loop to end, aborting
     * the FUSE connection if the mount is still in use (a file open or mapped
     * on it), whose users then get ENOTCONN; answers EIO to every deferred
     * reply still open; calls {@link LowLevelFileSystem#destroy()} and frees
     * the session. If the loop does not end even then (about 30 seconds),
     * the session is left in place, logged, rather than freed under running
     * threads; destroy is then not called.
     */
    @Override
    public void close() {
        closeSession();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private void closeFromHook() {
        closeSession();
    }

    private synchronized void closeSession() {
        if (closed) {
            return;
        }
        closed = true;
        // Asked while the workers still serve: once the session is marked exited they drop requests.
        String connection = FuseConnection.of(mountpoint);
        // No cache notification may be inside libfuse once its session's descriptor is closed and freed.
        boolean notificationsEnded = kernelCache.close(UNMOUNT_GRACE_SECONDS, TimeUnit.SECONDS);
        if (!notificationsEnded && connection != null) {
            // It waits in the kernel: for a lock held by an operation waiting for its answer (the deadlock
            // KernelCache warns of), or for writeback. Aborting the connection ends those operations.
            LOG.warn("a cache notification to {} is still under way; aborting its FUSE connection {}",
                    mountpoint, connection);
            FuseConnection.abort(connection);
            notificationsEnded = kernelCache.close(LOOP_EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        fuse_session_exit(session);
        // Unmounting ends the connection: workers blocked reading /dev/fuse wake with ENODEV.
        fuse_session_unmount(session);
        boolean ended = awaitLoop(UNMOUNT_GRACE_SECONDS);
        if (!ended && connection != null) {
            // libfuse unmounts lazily: a file still open or mapped on the mount keeps the
            // connection alive. Abort it, as 'echo 1 > /sys/fs/fuse/connections/N/abort' would;
            // whoever still uses the mount then gets ENOTCONN.
            LOG.warn("{} is still in use after unmounting; aborting its FUSE connection {}", mountpoint, connection);
            FuseConnection.abort(connection);
            ended = awaitLoop(LOOP_EXIT_WAIT_SECONDS);
        }
        if (!ended) {
            // Destroying the session or freeing the upcall stubs under running
            // workers would crash the process: leak them instead.
            LOG.warn("request loop for {} did not end within {}s; leaving its session in place",
                    mountpoint, LOOP_EXIT_WAIT_SECONDS);
            return;
        }
        if (!notificationsEnded) {
            // A notification stuck that long is inside its write(2) (it has read the descriptor
            // already), but libfuse still holds the session: leak it rather than free it under the call.
            LOG.warn("a cache notification to {} did not end within {}s; leaving its session in place",
                    mountpoint, UNMOUNT_GRACE_SECONDS + LOOP_EXIT_WAIT_SECONDS);
            return;
        }
        // Requests still deferred hold libfuse request memory tied to the session: answer them first.
        deferred.failAll();
        fuse_session_destroy(session);
        arena.close();
    }

    /** {@return the requests whose answers were deferred and are not given yet (for tests and monitoring)} */
    public int pendingDeferredReplies() {
        return deferred.pending();
    }
}
