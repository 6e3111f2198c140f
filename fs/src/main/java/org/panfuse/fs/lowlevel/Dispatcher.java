package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.panfuse.bindings.fuse_forget_data;
import org.panfuse.bindings.fuse_lowlevel_ops;

import org.panfuse.fs.errno.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code struct fuse_lowlevel_ops} for a {@link LowLevelFileSystem}:
 * one upcall stub per operation the filesystem overrides, made once per
 * session. Each stub points the thread's {@link RequestReplies} at the
 * request, calls the filesystem, and makes sure the request is answered
 * exactly once and that no exception reaches native code.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Logger TRACE = LoggerFactory.getLogger("org.panfuse.fs.operations");

    private final LowLevelFileSystem fs;
    private final boolean debug;
    private final ThreadLocal<RequestReplies> replies;
    private final List<String> registered = new ArrayList<>();
    private final DeferredReplies deferred = new DeferredReplies();
    /** Numbers the requests in --debug output, so that a request's start and end can be matched. */
    private final AtomicLong requestIds = new AtomicLong();
    /** What the workers' names end with (the mountpoint), and how many were named. */
    private final String workerLabel;
    private final AtomicInteger workers = new AtomicInteger();

    // ---- kernel passthrough, negotiated by InitHandshake before the loop starts
    /** The kernel's INIT offered passthrough. */
    volatile boolean passthroughOffered;
    /** The filesystem asked for it in init (ConnectionInfo.wantPassthrough). */
    volatile boolean passthroughRequested;
    /** Offered, asked for, and nothing in the way: the INIT reply asks for it. */
    volatile boolean passthroughDecided;
    /** Why not, when it is not decided. */
    volatile String passthroughWhyNot = "the filesystem did not ask for it";
    /**
     * The filesystem keeps FUSE_CAP_PARALLEL_DIROPS (libfuse's default): the INIT reply asks for
     * it, which libfuse before 3.17 never does itself, so the kernel would serialize every lookup
     * and readdir in a directory.
     */
    volatile boolean parallelDirops;
    /** The backing files, once passthrough is known to be in force; null otherwise. */
    volatile BackingFiles backing;

    Dispatcher(LowLevelFileSystem fs, boolean debug, String workerLabel) {
        this.fs = fs;
        this.debug = debug;
        this.workerLabel = workerLabel;
        // Made on a thread's first request: naming the thread here costs nothing per request.
        this.replies = ThreadLocal.withInitial(() -> {
            nameWorker();
            RequestReplies r = new RequestReplies(deferred, this);
            r.tracing = debug;
            return r;
        });
    }

    /**
     * libfuse's workers are native threads, which the JVM attaches on their
     * first upcall as "Thread-N": give them a name that says what they are.
     * The one thread of ours that serves requests (the loop, single-threaded)
     * is named already.
     */
    private void nameWorker() {
        Thread t = Thread.currentThread();
        if (!t.getName().startsWith("panfuse-")) {
            t.setName("panfuse-worker-" + workers.incrementAndGet() + " " + workerLabel);
        }
    }

    private void decidePassthrough(ConnectionInfo info) {
        if (!passthroughRequested) {
            passthroughWhyNot = "the filesystem did not ask for it";
        } else if (!passthroughOffered) {
            passthroughWhyNot = "the kernel does not offer it (it needs Linux 6.9+ built with CONFIG_FUSE_PASSTHROUGH)";
        } else if ((info.want() & FUSE_CAP_WRITEBACK_CACHE()) != 0) {
            passthroughWhyNot = "the writeback cache is on, and the kernel does not pass files through with it";
        } else {
            passthroughDecided = true;
        }
    }

    /**
     * An open or create whose passthrough reply reached no one (the caller
     * was interrupted): the file is released as libfuse releases it for its
     * own open replies.
     */
    void cancelOpen(String op, long ino, FileInfo fi) {
        boolean directory = "opendir".equals(op);
        if (!registered.contains(directory ? "releasedir" : "release")) {
            return; // nothing kept per open: nothing to release
        }
        try {
            if (directory) {
                fs.releasedir(ino, fi, new CancelledOpenRelease());
            } else {
                fs.release(ino, fi, new CancelledOpenRelease());
            }
        } catch (Throwable t) {
            LOG.warn("release of an interrupted {} of inode {} failed", op, ino, t);
        }
    }

    /** The requests whose answers were deferred and are not given yet. */
    DeferredReplies deferred() {
        return deferred;
    }

    /** The operations registered with libfuse, for logs and tests. */
    List<String> registered() {
        return registered;
    }

    private boolean implemented(String name, Class<?>... parameters) {
        try {
            Method m = fs.getClass().getMethod(name, parameters);
            boolean overridden = m.getDeclaringClass() != LowLevelFileSystem.class;
            if (overridden) {
                registered.add(name);
            }
            return overridden;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("LowLevelFileSystem has no method " + name, e);
        }
    }

    // ---- the per-request protocol

    private static final jdk.jfr.EventType OPERATION_EVENT = jdk.jfr.EventType.getEventType(FuseOperationEvent.class);

    private RequestReplies begin(MemorySegment req, String op) {
        RequestReplies r = replies.get().begin(req, op);
        if (OPERATION_EVENT.isEnabled()) {
            r.event = new FuseOperationEvent();
            r.event.begin();
        }
        return r;
    }

    private void failed(RequestReplies r, Throwable t, String op, long ino) {
        if (t instanceof ErrnoException e && !r.answered()) {
            try {
                r.error(e.errno());
                return;
            } catch (RuntimeException invalid) {
                t.addSuppressed(invalid);
            }
        }
        String state = r.deferred() ? " after deferring its answer"
                : r.answered() ? " after answering" : "; answering EIO";
        LOG.error("{} on inode {} failed{}", op, ino, state, t);
        r.failIfOpen();
    }

    private void end(RequestReplies r, String op, long ino) {
        if (!r.answered()) {
            LOG.error("{} on inode {} returned without answering; answering EIO", op, ino);
            r.failIfOpen();
        }
        if (debug) {
            TRACE.debug("#{} {} -> {}", r.requestId, op, r.outcome);
        }
        FuseOperationEvent e = r.event;
        if (e != null) {
            r.event = null;
            e.end();
            if (e.shouldCommit()) {
                e.operation = op;
                e.inode = ino;
                e.bytes = r.bytes;
                e.errno = r.errno;
                e.commit();
            }
        }
    }

    /** --debug: the request as it arrives, with who sent it; {@link #end} logs how it was answered. */
    private void trace(RequestReplies r, String op, Object... args) {
        r.requestId = requestIds.incrementAndGet();
        StringBuilder sb = new StringBuilder(op).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(args[i] instanceof MemorySegment s ? DebugText.quote(s) : args[i]);
        }
        RequestContext c = r.context();
        TRACE.debug("#{} {}) uid={} gid={} pid={}", r.requestId, sb, c.uid(), c.gid(), c.pid());
    }

    private FileInfo fi(RequestReplies r, MemorySegment fi) {
        return fi.equals(MemorySegment.NULL) ? null : r.fileInfo.wrap(fi);
    }

    // ---- the ops struct

    MemorySegment build(Arena arena) {
        MemorySegment ops = fuse_lowlevel_ops.allocate(arena);
        ops.fill((byte) 0);
        // Making an upcall stub costs milliseconds (adapter classes, native code): they are made
        // in parallel below, each writing its own field of the struct.
        List<Runnable> stubs = new ArrayList<>();
        Class<MemorySegment> seg = MemorySegment.class;

        // init and destroy are always registered: they carry no request to answer.
        fuse_lowlevel_ops.init(ops, fuse_lowlevel_ops.init.allocate((userdata, conn) -> {
            try {
                ConnectionInfo info = new ConnectionInfo(conn, this);
                fs.init(info);
                decidePassthrough(info);
                parallelDirops = (info.want() & FUSE_CAP_PARALLEL_DIROPS()) != 0;
                LOG.debug("init: {}", info);
            } catch (Throwable t) {
                LOG.error("init failed", t);
            }
        }, arena));
        fuse_lowlevel_ops.destroy(ops, fuse_lowlevel_ops.destroy.allocate(userdata -> {
            try {
                fs.destroy();
            } catch (Throwable t) {
                LOG.error("destroy failed", t);
            }
        }, arena));

        if (implemented("lookup", long.class, seg, ReplyEntry.class)) {
            stubs.add(() -> fuse_lowlevel_ops.lookup(ops, fuse_lowlevel_ops.lookup.allocate((req, parent, name) -> {
                RequestReplies r = begin(req, "lookup");
                if (debug) {
                    trace(r, "lookup", parent, name);
                }
                try {
                    fs.lookup(parent, name, r);
                } catch (Throwable t) {
                    failed(r, t, "lookup", parent);
                }
                end(r, "lookup", parent);
            }, arena)));
        }
        if (implemented("forget", long.class, long.class)) {
            stubs.add(() -> fuse_lowlevel_ops.forget(ops, fuse_lowlevel_ops.forget.allocate((req, ino, nlookup) -> {
                RequestReplies r = begin(req, "forget");
                if (debug) {
                    trace(r, "forget", ino, nlookup);
                }
                forgetOne(ino, nlookup);
                r.none();
            }, arena)));
            // forget_multi is the batched form of the same operation.
            stubs.add(() -> fuse_lowlevel_ops.forget_multi(ops, fuse_lowlevel_ops.forget_multi.allocate((req, count, forgets) -> {
                RequestReplies r = begin(req, "forget_multi");
                if (debug) {
                    trace(r, "forget_multi", count);
                }
                MemorySegment all = forgets.reinterpret(count * fuse_forget_data.sizeof());
                for (long i = 0; i < count; i++) {
                    MemorySegment f = fuse_forget_data.asSlice(all, i);
                    forgetOne(fuse_forget_data.ino(f), fuse_forget_data.nlookup(f));
                }
                r.none();
            }, arena)));
        }
        if (implemented("getattr", long.class, FileInfo.class, ReplyAttr.class)) {
            stubs.add(() -> fuse_lowlevel_ops.getattr(ops, fuse_lowlevel_ops.getattr.allocate((req, ino, fi) -> {
                RequestReplies r = begin(req, "getattr");
                if (debug) {
                    trace(r, "getattr", ino);
                }
                try {
                    fs.getattr(ino, fi(r, fi), r);
                } catch (Throwable t) {
                    failed(r, t, "getattr", ino);
                }
                end(r, "getattr", ino);
            }, arena)));
        }
        if (implemented("setattr", long.class, seg, int.class, FileInfo.class, ReplyAttr.class)) {
            stubs.add(() -> fuse_lowlevel_ops.setattr(ops, fuse_lowlevel_ops.setattr.allocate((req, ino, attr, toSet, fi) -> {
                RequestReplies r = begin(req, "setattr");
                if (debug) {
                    trace(r, "setattr", ino, "to_set=0x" + Integer.toHexString(toSet));
                }
                try {
                    fs.setattr(ino, attr.reinterpret(org.panfuse.bindings.stat.sizeof()), toSet, fi(r, fi), r);
                } catch (Throwable t) {
                    failed(r, t, "setattr", ino);
                }
                end(r, "setattr", ino);
            }, arena)));
        }
        if (implemented("readlink", long.class, ReplyReadlink.class)) {
            stubs.add(() -> fuse_lowlevel_ops.readlink(ops, fuse_lowlevel_ops.readlink.allocate((req, ino) -> {
                RequestReplies r = begin(req, "readlink");
                if (debug) {
                    trace(r, "readlink", ino);
                }
                try {
                    fs.readlink(ino, r);
                } catch (Throwable t) {
                    failed(r, t, "readlink", ino);
                }
                end(r, "readlink", ino);
            }, arena)));
        }
        if (implemented("mknod", long.class, seg, int.class, long.class, ReplyEntry.class)) {
            stubs.add(() -> fuse_lowlevel_ops.mknod(ops, fuse_lowlevel_ops.mknod.allocate((req, parent, name, mode, rdev) -> {
                RequestReplies r = begin(req, "mknod");
                if (debug) {
                    trace(r, "mknod", parent, name, "0" + Integer.toOctalString(mode), rdev);
                }
                try {
                    fs.mknod(parent, name, mode, rdev, r);
                } catch (Throwable t) {
                    failed(r, t, "mknod", parent);
                }
                end(r, "mknod", parent);
            }, arena)));
        }
        if (implemented("mkdir", long.class, seg, int.class, ReplyEntry.class)) {
            stubs.add(() -> fuse_lowlevel_ops.mkdir(ops, fuse_lowlevel_ops.mkdir.allocate((req, parent, name, mode) -> {
                RequestReplies r = begin(req, "mkdir");
                if (debug) {
                    trace(r, "mkdir", parent, name, "0" + Integer.toOctalString(mode));
                }
                try {
                    fs.mkdir(parent, name, mode, r);
                } catch (Throwable t) {
                    failed(r, t, "mkdir", parent);
                }
                end(r, "mkdir", parent);
            }, arena)));
        }
        if (implemented("unlink", long.class, seg, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.unlink(ops, fuse_lowlevel_ops.unlink.allocate((req, parent, name) -> {
                RequestReplies r = begin(req, "unlink");
                if (debug) {
                    trace(r, "unlink", parent, name);
                }
                try {
                    fs.unlink(parent, name, r);
                } catch (Throwable t) {
                    failed(r, t, "unlink", parent);
                }
                end(r, "unlink", parent);
            }, arena)));
        }
        if (implemented("rmdir", long.class, seg, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.rmdir(ops, fuse_lowlevel_ops.rmdir.allocate((req, parent, name) -> {
                RequestReplies r = begin(req, "rmdir");
                if (debug) {
                    trace(r, "rmdir", parent, name);
                }
                try {
                    fs.rmdir(parent, name, r);
                } catch (Throwable t) {
                    failed(r, t, "rmdir", parent);
                }
                end(r, "rmdir", parent);
            }, arena)));
        }
        if (implemented("symlink", seg, long.class, seg, ReplyEntry.class)) {
            stubs.add(() -> fuse_lowlevel_ops.symlink(ops, fuse_lowlevel_ops.symlink.allocate((req, target, parent, name) -> {
                RequestReplies r = begin(req, "symlink");
                if (debug) {
                    trace(r, "symlink", target, parent, name);
                }
                try {
                    fs.symlink(target, parent, name, r);
                } catch (Throwable t) {
                    failed(r, t, "symlink", parent);
                }
                end(r, "symlink", parent);
            }, arena)));
        }
        if (implemented("rename", long.class, seg, long.class, seg, int.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.rename(ops, fuse_lowlevel_ops.rename.allocate((req, parent, name, newParent, newName, flags) -> {
                RequestReplies r = begin(req, "rename");
                if (debug) {
                    trace(r, "rename", parent, name, newParent, newName, flags);
                }
                try {
                    fs.rename(parent, name, newParent, newName, flags, r);
                } catch (Throwable t) {
                    failed(r, t, "rename", parent);
                }
                end(r, "rename", parent);
            }, arena)));
        }
        if (implemented("link", long.class, long.class, seg, ReplyEntry.class)) {
            stubs.add(() -> fuse_lowlevel_ops.link(ops, fuse_lowlevel_ops.link.allocate((req, ino, newParent, newName) -> {
                RequestReplies r = begin(req, "link");
                if (debug) {
                    trace(r, "link", ino, newParent, newName);
                }
                try {
                    fs.link(ino, newParent, newName, r);
                } catch (Throwable t) {
                    failed(r, t, "link", ino);
                }
                end(r, "link", ino);
            }, arena)));
        }
        if (implemented("open", long.class, FileInfo.class, ReplyOpen.class)) {
            stubs.add(() -> fuse_lowlevel_ops.open(ops, fuse_lowlevel_ops.open.allocate((req, ino, fi) -> {
                RequestReplies r = begin(req, "open");
                if (debug) {
                    trace(r, "open", ino, r.fileInfo.wrap(fi));
                }
                r.ino = ino;
                try {
                    fs.open(ino, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "open", ino);
                }
                end(r, "open", ino);
            }, arena)));
        }
        if (implemented("read", long.class, long.class, long.class, FileInfo.class, ReplyData.class)) {
            stubs.add(() -> fuse_lowlevel_ops.read(ops, fuse_lowlevel_ops.read.allocate((req, ino, size, off, fi) -> {
                RequestReplies r = begin(req, "read");
                if (debug) {
                    trace(r, "read", ino, size, off, r.fileInfo.wrap(fi));
                }
                try {
                    fs.read(ino, size, off, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "read", ino);
                }
                end(r, "read", ino);
            }, arena)));
        }
        if (implemented("write", long.class, WriteSource.class, long.class, FileInfo.class, ReplyWrite.class)) {
            stubs.add(() -> fuse_lowlevel_ops.write_buf(ops, fuse_lowlevel_ops.write_buf.allocate((req, ino, bufv, off, fi) -> {
                RequestReplies r = begin(req, "write");
                if (debug) {
                    trace(r, "write", ino, off, r.fileInfo.wrap(fi));
                }
                try {
                    fs.write(ino, r.source(bufv), off, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "write", ino);
                }
                end(r, "write", ino);
            }, arena)));
        }
        if (implemented("flush", long.class, FileInfo.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.flush(ops, fuse_lowlevel_ops.flush.allocate((req, ino, fi) -> {
                RequestReplies r = begin(req, "flush");
                if (debug) {
                    trace(r, "flush", ino, r.fileInfo.wrap(fi));
                }
                try {
                    fs.flush(ino, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "flush", ino);
                }
                end(r, "flush", ino);
            }, arena)));
        }
        if (implemented("release", long.class, FileInfo.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.release(ops, fuse_lowlevel_ops.release.allocate((req, ino, fi) -> {
                RequestReplies r = begin(req, "release");
                if (debug) {
                    trace(r, "release", ino, r.fileInfo.wrap(fi));
                }
                try {
                    fs.release(ino, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "release", ino);
                }
                BackingFiles b = backing;
                if (b != null) {
                    b.release(ino);
                }
                end(r, "release", ino);
            }, arena)));
        }
        if (implemented("fsync", long.class, boolean.class, FileInfo.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.fsync(ops, fuse_lowlevel_ops.fsync.allocate((req, ino, datasync, fi) -> {
                RequestReplies r = begin(req, "fsync");
                if (debug) {
                    trace(r, "fsync", ino, datasync, r.fileInfo.wrap(fi));
                }
                try {
                    fs.fsync(ino, datasync != 0, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "fsync", ino);
                }
                end(r, "fsync", ino);
            }, arena)));
        }
        if (implemented("opendir", long.class, FileInfo.class, ReplyOpen.class)) {
            stubs.add(() -> fuse_lowlevel_ops.opendir(ops, fuse_lowlevel_ops.opendir.allocate((req, ino, fi) -> {
                RequestReplies r = begin(req, "opendir");
                if (debug) {
                    trace(r, "opendir", ino);
                }
                try {
                    fs.opendir(ino, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "opendir", ino);
                }
                end(r, "opendir", ino);
            }, arena)));
        }
        if (implemented("readdir", long.class, long.class, long.class, FileInfo.class, ReplyDirectory.class)) {
            stubs.add(() -> fuse_lowlevel_ops.readdir(ops, fuse_lowlevel_ops.readdir.allocate((req, ino, size, off, fi) -> {
                RequestReplies r = begin(req, "readdir");
                if (debug) {
                    trace(r, "readdir", ino, size, off, r.fileInfo.wrap(fi));
                }
                try {
                    r.beginDirectory(size);
                    fs.readdir(ino, size, off, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "readdir", ino);
                }
                end(r, "readdir", ino);
            }, arena)));
        }
        if (implemented("readdirplus", long.class, long.class, long.class, FileInfo.class, ReplyDirectoryPlus.class)) {
            stubs.add(() -> fuse_lowlevel_ops.readdirplus(ops, fuse_lowlevel_ops.readdirplus.allocate((req, ino, size, off, fi) -> {
                RequestReplies r = begin(req, "readdirplus");
                if (debug) {
                    trace(r, "readdirplus", ino, size, off, r.fileInfo.wrap(fi));
                }
                try {
                    r.beginDirectory(size);
                    fs.readdirplus(ino, size, off, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "readdirplus", ino);
                }
                end(r, "readdirplus", ino);
            }, arena)));
        }
        if (implemented("releasedir", long.class, FileInfo.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.releasedir(ops, fuse_lowlevel_ops.releasedir.allocate((req, ino, fi) -> {
                RequestReplies r = begin(req, "releasedir");
                if (debug) {
                    trace(r, "releasedir", ino, r.fileInfo.wrap(fi));
                }
                try {
                    fs.releasedir(ino, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "releasedir", ino);
                }
                end(r, "releasedir", ino);
            }, arena)));
        }
        if (implemented("fsyncdir", long.class, boolean.class, FileInfo.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.fsyncdir(ops, fuse_lowlevel_ops.fsyncdir.allocate((req, ino, datasync, fi) -> {
                RequestReplies r = begin(req, "fsyncdir");
                if (debug) {
                    trace(r, "fsyncdir", ino, datasync);
                }
                try {
                    fs.fsyncdir(ino, datasync != 0, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "fsyncdir", ino);
                }
                end(r, "fsyncdir", ino);
            }, arena)));
        }
        if (implemented("statfs", long.class, ReplyStatfs.class)) {
            stubs.add(() -> fuse_lowlevel_ops.statfs(ops, fuse_lowlevel_ops.statfs.allocate((req, ino) -> {
                RequestReplies r = begin(req, "statfs");
                r.clearStatvfs();
                if (debug) {
                    trace(r, "statfs", ino);
                }
                try {
                    fs.statfs(ino, r);
                } catch (Throwable t) {
                    failed(r, t, "statfs", ino);
                }
                end(r, "statfs", ino);
            }, arena)));
        }
        if (implemented("setxattr", long.class, seg, seg, long.class, int.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.setxattr(ops, fuse_lowlevel_ops.setxattr.allocate((req, ino, name, value, size, flags) -> {
                RequestReplies r = begin(req, "setxattr");
                if (debug) {
                    trace(r, "setxattr", ino, name, size, flags);
                }
                try {
                    fs.setxattr(ino, name, value.reinterpret(size), size, flags, r);
                } catch (Throwable t) {
                    failed(r, t, "setxattr", ino);
                }
                end(r, "setxattr", ino);
            }, arena)));
        }
        if (implemented("getxattr", long.class, seg, long.class, ReplyXattr.class)) {
            stubs.add(() -> fuse_lowlevel_ops.getxattr(ops, fuse_lowlevel_ops.getxattr.allocate((req, ino, name, size) -> {
                RequestReplies r = begin(req, "getxattr");
                if (debug) {
                    trace(r, "getxattr", ino, name, size);
                }
                try {
                    fs.getxattr(ino, name, size, r);
                } catch (Throwable t) {
                    failed(r, t, "getxattr", ino);
                }
                end(r, "getxattr", ino);
            }, arena)));
        }
        if (implemented("listxattr", long.class, long.class, ReplyXattr.class)) {
            stubs.add(() -> fuse_lowlevel_ops.listxattr(ops, fuse_lowlevel_ops.listxattr.allocate((req, ino, size) -> {
                RequestReplies r = begin(req, "listxattr");
                if (debug) {
                    trace(r, "listxattr", ino, size);
                }
                try {
                    fs.listxattr(ino, size, r);
                } catch (Throwable t) {
                    failed(r, t, "listxattr", ino);
                }
                end(r, "listxattr", ino);
            }, arena)));
        }
        if (implemented("removexattr", long.class, seg, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.removexattr(ops, fuse_lowlevel_ops.removexattr.allocate((req, ino, name) -> {
                RequestReplies r = begin(req, "removexattr");
                if (debug) {
                    trace(r, "removexattr", ino, name);
                }
                try {
                    fs.removexattr(ino, name, r);
                } catch (Throwable t) {
                    failed(r, t, "removexattr", ino);
                }
                end(r, "removexattr", ino);
            }, arena)));
        }
        if (implemented("access", long.class, int.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.access(ops, fuse_lowlevel_ops.access.allocate((req, ino, mask) -> {
                RequestReplies r = begin(req, "access");
                if (debug) {
                    trace(r, "access", ino, mask);
                }
                try {
                    fs.access(ino, mask, r);
                } catch (Throwable t) {
                    failed(r, t, "access", ino);
                }
                end(r, "access", ino);
            }, arena)));
        }
        if (implemented("create", long.class, seg, int.class, FileInfo.class, ReplyCreate.class)) {
            stubs.add(() -> fuse_lowlevel_ops.create(ops, fuse_lowlevel_ops.create.allocate((req, parent, name, mode, fi) -> {
                RequestReplies r = begin(req, "create");
                if (debug) {
                    trace(r, "create", parent, name, "0" + Integer.toOctalString(mode));
                }
                try {
                    fs.create(parent, name, mode, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "create", parent);
                }
                end(r, "create", parent);
            }, arena)));
        }
        if (implemented("getlk", long.class, FileInfo.class, seg, ReplyLock.class)) {
            stubs.add(() -> fuse_lowlevel_ops.getlk(ops, fuse_lowlevel_ops.getlk.allocate((req, ino, fi, lock) -> {
                RequestReplies r = begin(req, "getlk");
                if (debug) {
                    trace(r, "getlk", ino);
                }
                try {
                    fs.getlk(ino, r.fileInfo.wrap(fi), lock, r);
                } catch (Throwable t) {
                    failed(r, t, "getlk", ino);
                }
                end(r, "getlk", ino);
            }, arena)));
        }
        if (implemented("setlk", long.class, FileInfo.class, seg, boolean.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.setlk(ops, fuse_lowlevel_ops.setlk.allocate((req, ino, fi, lock, sleep) -> {
                RequestReplies r = begin(req, "setlk");
                if (debug) {
                    trace(r, "setlk", ino, sleep);
                }
                try {
                    fs.setlk(ino, r.fileInfo.wrap(fi), lock, sleep != 0, r);
                } catch (Throwable t) {
                    failed(r, t, "setlk", ino);
                }
                end(r, "setlk", ino);
            }, arena)));
        }
        if (implemented("bmap", long.class, long.class, long.class, ReplyBmap.class)) {
            stubs.add(() -> fuse_lowlevel_ops.bmap(ops, fuse_lowlevel_ops.bmap.allocate((req, ino, blocksize, index) -> {
                RequestReplies r = begin(req, "bmap");
                if (debug) {
                    trace(r, "bmap", ino, blocksize, index);
                }
                try {
                    fs.bmap(ino, blocksize, index, r);
                } catch (Throwable t) {
                    failed(r, t, "bmap", ino);
                }
                end(r, "bmap", ino);
            }, arena)));
        }
        if (implemented("flock", long.class, FileInfo.class, int.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.flock(ops, fuse_lowlevel_ops.flock.allocate((req, ino, fi, op) -> {
                RequestReplies r = begin(req, "flock");
                if (debug) {
                    trace(r, "flock", ino, op);
                }
                try {
                    fs.flock(ino, r.fileInfo.wrap(fi), op, r);
                } catch (Throwable t) {
                    failed(r, t, "flock", ino);
                }
                end(r, "flock", ino);
            }, arena)));
        }
        if (implemented("fallocate", long.class, int.class, long.class, long.class, FileInfo.class, ReplyEmpty.class)) {
            stubs.add(() -> fuse_lowlevel_ops.fallocate(ops, fuse_lowlevel_ops.fallocate.allocate((req, ino, mode, off, len, fi) -> {
                RequestReplies r = begin(req, "fallocate");
                if (debug) {
                    trace(r, "fallocate", ino, mode, off, len);
                }
                try {
                    fs.fallocate(ino, mode, off, len, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "fallocate", ino);
                }
                end(r, "fallocate", ino);
            }, arena)));
        }
        if (implemented("copyFileRange", long.class, long.class, FileInfo.class, long.class, long.class,
                FileInfo.class, long.class, int.class, ReplyWrite.class)) {
            stubs.add(() -> fuse_lowlevel_ops.copy_file_range(ops, fuse_lowlevel_ops.copy_file_range.allocate(
                    (req, inoIn, offIn, fiIn, inoOut, offOut, fiOut, len, flags) -> {
                        RequestReplies r = begin(req, "copy_file_range");
                        if (debug) {
                            trace(r, "copy_file_range", inoIn, offIn, inoOut, offOut, len, flags);
                        }
                        try {
                            fs.copyFileRange(inoIn, offIn, r.fileInfo.wrap(fiIn), inoOut, offOut,
                                    r.fileInfoOut.wrap(fiOut), len, flags, r);
                        } catch (Throwable t) {
                            failed(r, t, "copy_file_range", inoIn);
                        }
                        end(r, "copy_file_range", inoIn);
                    }, arena)));
        }
        if (implemented("lseek", long.class, long.class, int.class, FileInfo.class, ReplyLseek.class)) {
            stubs.add(() -> fuse_lowlevel_ops.lseek(ops, fuse_lowlevel_ops.lseek.allocate((req, ino, off, whence, fi) -> {
                RequestReplies r = begin(req, "lseek");
                if (debug) {
                    trace(r, "lseek", ino, off, whence);
                }
                try {
                    fs.lseek(ino, off, whence, r.fileInfo.wrap(fi), r);
                } catch (Throwable t) {
                    failed(r, t, "lseek", ino);
                }
                end(r, "lseek", ino);
            }, arena)));
        }
        stubs.parallelStream().forEach(Runnable::run);
        return ops;
    }

    private void forgetOne(long ino, long nlookup) {
        try {
            fs.forget(ino, nlookup);
        } catch (Throwable t) {
            LOG.error("forget on inode {} failed", ino, t);
        }
    }

}
