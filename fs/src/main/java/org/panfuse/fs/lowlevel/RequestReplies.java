package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_buf;
import org.panfuse.bindings.fuse_bufvec;
import org.panfuse.bindings.fuse_entry_out;
import org.panfuse.bindings.fuse_open_out;
import org.panfuse.bindings.fuse_ctx;
import org.panfuse.bindings.fuse_entry_param;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.statvfs;
import org.panfuse.fs.errno.Errno;

/**
 * One worker thread's answer machinery: it implements every reply type, holds
 * the thread's scratch structs (entry, stat, statvfs, buffer vectors, data
 * and directory buffers), and enforces "answered exactly once" through its
 * {@link Answer}. The dispatcher points it at each request in turn, so
 * replying allocates nothing. {@link #defer()} makes a fresh instance bound to
 * one request, to be answered from any thread.
 */
final class RequestReplies implements ReplyEmpty, ReplyEntry, ReplyCreate, ReplyAttr, ReplyReadlink, ReplyOpen,
        ReplyWrite, ReplyData, ReplyStatfs, ReplyXattr, ReplyLseek, ReplyDirectory, ReplyDirectoryPlus, ReplyLock,
        ReplyBmap, RequestContext, WriteSource {

    private static final int PATH_BUFFER = 4096 + 1;
    /** The longest name the kernel takes in a directory listing (FUSE_NAME_MAX). */
    private static final int NAME_MAX = 1024;

    // Scratch memory lives as long as this object: reclaimed with the thread.
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment entryParam = fuse_entry_param.allocate(arena);
    private final MemorySegment attr = entryParam.asSlice(fuse_entry_param.attr$offset(), stat.sizeof());
    private final MemorySegment statvfsBuf = statvfs.allocate(arena);
    private final MemorySegment outVec = fuse_bufvec.allocate(arena);
    // fuse_bufvec.buf(struct, index) of this jextract revision slices at offset 0 of the struct, not of
    // the array: take the array field itself, whose first element is buf[0].
    private final MemorySegment outBuf = fuse_bufvec.buf(outVec);
    private final MemorySegment memVec = fuse_bufvec.allocate(arena);
    private final MemorySegment memBuf = fuse_bufvec.buf(memVec);
    private final MemorySegment pathBuffer = arena.allocate(PATH_BUFFER);
    /** A String name of a listing, encoded and NUL-terminated. */
    private final MemorySegment nameBuffer = arena.allocate(NAME_MAX + 1);
    private MemorySegment dataBuffer = MemorySegment.NULL;

    final FileInfo fileInfo = new FileInfo();
    final FileInfo fileInfoOut = new FileInfo();

    private final DeferredReplies deferredReplies;
    private final Answer answer;
    /** True for a reply taken out of its call by {@link #defer()}. */
    private final boolean detached;
    /** The operation, for logs about deferred replies. */
    private String operation = "";

    private MemorySegment req = MemorySegment.NULL;
    /** A deferred reply's copy of who asked (uid, gid, pid, umask); null on a worker's reply. */
    private long[] context;
    private MemorySegment ctx = MemorySegment.NULL;
    private MemorySegment inVec = MemorySegment.NULL;
    private long dirCapacity;
    private long dirUsed;

    /** What was answered, for --debug; only written when tracing. */
    boolean tracing;
    /** The request's number in --debug output. */
    long requestId;
    String outcome;

    /** The flight-recorder event of this request, or null when no recording wants it. */
    FuseOperationEvent event;
    /** Bytes the answer moved (read, write, copy_file_range) and the errno it carried: for the event. */
    long bytes;
    int errno;

    /** The inode of the open being answered (for its backing file). */
    long ino;
    private final Dispatcher owner;
    /** A fuse_open_out, and a fuse_entry_out followed by one: passthrough's open and create answers. */
    private final MemorySegment openOut = arena.allocate(fuse_entry_out.sizeof() + fuse_open_out.sizeof(), 8);

    RequestReplies(DeferredReplies deferredReplies, Dispatcher owner) {
        this(deferredReplies, owner, new Answer(), false);
    }

    private RequestReplies(DeferredReplies deferredReplies, Dispatcher owner, Answer answer, boolean detached) {
        this.owner = owner;
        this.deferredReplies = deferredReplies;
        this.answer = answer;
        this.detached = detached;
        // What never changes in the two buffer vectors is set once; libfuse advances idx and off
        // as it copies, so those are reset with each use.
        fuse_bufvec.count(outVec, 1);
        fuse_buf.flags(outBuf, FUSE_BUF_IS_FD() | FUSE_BUF_FD_SEEK());
        fuse_buf.mem(outBuf, MemorySegment.NULL);
        fuse_bufvec.count(memVec, 1);
        fuse_buf.flags(memBuf, 0);
        fuse_buf.fd(memBuf, -1);
        fuse_buf.pos(memBuf, 0);
    }

    /** Points the one-buffer vector {@code outVec} at {@code size} bytes of {@code fd} from {@code offset}. */
    private void pointAtFd(int fd, long offset, long size) {
        fuse_bufvec.idx(outVec, 0);
        fuse_bufvec.off(outVec, 0);
        fuse_buf.size(outBuf, size);
        fuse_buf.fd(outBuf, fd);
        fuse_buf.pos(outBuf, offset);
    }

    RequestReplies begin(MemorySegment request, String op) {
        this.req = request;
        this.operation = op;
        this.ctx = MemorySegment.NULL;
        this.answer.reset(request);
        this.outcome = null;
        this.bytes = 0;
        this.errno = 0;
        // Nothing of an earlier request's attributes or file info may reach this one's answer.
        attr.fill((byte) 0);
        dirCapacity = 0;
        dirUsed = 0;
        fileInfo.wrap(MemorySegment.NULL);
        fileInfoOut.wrap(MemorySegment.NULL);
        return this;
    }

    /** True once the request is answered here or handed to a deferred reply. */
    boolean answered() {
        return answer.state() != Answer.OPEN;
    }

    boolean deferred() {
        return answer.state() == Answer.DEFERRED;
    }

    /** Answers EIO if nobody has yet: the dispatcher's last resort. */
    void failIfOpen() {
        if (answer.failIfOpen()) {
            errno = EIO();
            if (tracing) {
                outcome = "error EIO";
            }
        }
    }

    /** Claims the answer before a native reply call; pair with {@link #sent} or {@link #notSent}. */
    private void claim() {
        answer.claim();
    }

    private void sent(int result, String what) {
        answer.settle();
        if (detached) {
            deferredReplies.answered(answer);
        }
        if (tracing) {
            outcome = result == 0 ? what : what + " (send failed: " + Errno.describe(-result) + ")";
        }
    }

    /** The native call threw before anything was sent: the request is still open. */
    private RuntimeException notSent(Throwable t) {
        answer.giveBack();
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---- deferral

    @Override
    public RequestReplies defer() {
        RequestReplies later = new RequestReplies(deferredReplies, owner, new Answer(), true);
        later.req = req;
        later.ino = ino;
        later.operation = operation;
        later.answer.reset(req);
        // libfuse's fuse_file_info lives only during the call: the deferred reply answers with a copy.
        later.fileInfo.wrap(copyOf(fileInfo.segment(), later.arena));
        later.fileInfoOut.wrap(copyOf(fileInfoOut.segment(), later.arena));
        MemorySegment.copy(attr, 0, later.attr, 0, attr.byteSize());
        MemorySegment.copy(statvfsBuf, 0, later.statvfsBuf, 0, statvfsBuf.byteSize());
        if (dirCapacity > 0) {
            // A listing answered later: its own buffer of the size the kernel asked for, with what was added.
            later.beginDirectory(dirCapacity);
            MemorySegment.copy(dataBuffer, 0, later.dataBuffer, 0, dirUsed);
            later.dirUsed = dirUsed;
        }
        if (!req.equals(MemorySegment.NULL)) {
            // libfuse frees the request with its answer: the deferred reply keeps who asked.
            later.context = new long[] {uid(), gid(), pid(), umask()};
        }
        answer.defer();
        deferredReplies.track(later, later.answer, operation);
        if (tracing) {
            outcome = "(deferred)";
        }
        return later;
    }

    private static MemorySegment copyOf(MemorySegment fi, Arena arena) {
        if (fi.equals(MemorySegment.NULL)) {
            return MemorySegment.NULL;
        }
        MemorySegment copy = arena.allocate(org.panfuse.bindings.fuse_file_info.layout());
        MemorySegment.copy(fi.reinterpret(copy.byteSize()), 0, copy, 0, copy.byteSize());
        return copy;
    }

    /** A deferred reply answers with its own copy of the file info, never the worker's reused view. */
    private MemorySegment fileInfoToSend(FileInfo fi) {
        if (detached && fi != fileInfo) {
            throw new IllegalArgumentException("a deferred reply answers with its own fileInfo(), not the "
                    + "FileInfo the operation was called with (that one is reused for other requests)");
        }
        return fi.segment();
    }

    @Override
    public FileInfo fileInfo() {
        return fileInfo;
    }

    // ---- Reply

    @Override
    public void error(int errno) {
        if (errno <= 0) {
            throw new IllegalArgumentException("error() takes a positive errno, not " + errno
                    + " (answer success with the operation's own reply method)");
        }
        claim();
        int result;
        try {
            result = fuse_reply_err(req, errno);
        } catch (Throwable t) {
            throw notSent(t);
        }
        this.errno = errno;
        sent(result, tracing ? "error " + Errno.describe(errno) : null);
    }

    @Override
    public RequestContext context() {
        return this;
    }

    void none() {
        claim();
        fuse_reply_none(req);
        sent(0, "(no reply)");
    }

    // ---- ReplyEmpty

    @Override
    public void ok() {
        claim();
        int result;
        try {
            result = fuse_reply_err(req, 0);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, "ok");
    }

    // ---- ReplyEntry, ReplyCreate, ReplyAttr, ReplyDirectoryPlus

    @Override
    public MemorySegment attr() {
        return attr;
    }

    private void fillEntry(long ino, long generation, double attrTimeout, double entryTimeout) {
        fuse_entry_param.ino(entryParam, ino);
        fuse_entry_param.generation(entryParam, generation);
        fuse_entry_param.attr_timeout(entryParam, attrTimeout);
        fuse_entry_param.entry_timeout(entryParam, entryTimeout);
    }

    @Override
    public void entry(long ino, long generation, double attrTimeout, double entryTimeout) {
        if (ino == 0) {
            throw new IllegalArgumentException("entry() needs an inode number; 0 is noEntry()");
        }
        fillEntry(ino, generation, attrTimeout, entryTimeout);
        claim();
        int result;
        try {
            result = fuse_reply_entry(req, entryParam);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "entry ino=" + ino + " " + describeAttr() : null);
    }

    @Override
    public void entry(FileAttributes attributes, double attrTimeout, double entryTimeout) {
        attributes.writeTo(attr);
        entry(attributes.ino(), 0, attrTimeout, entryTimeout);
    }

    @Override
    public void noEntry(double entryTimeout) {
        fillEntry(0, 0, 0, entryTimeout);
        claim();
        int result;
        try {
            result = fuse_reply_entry(req, entryParam);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, "negative entry");
    }

    @Override
    public void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi) {
        MemorySegment info = fileInfoToSend(fi);
        fillEntry(ino, generation, attrTimeout, entryTimeout);
        claim();
        int result;
        try {
            result = fuse_reply_create(req, entryParam, info);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "created ino=" + ino + " " + fi : null);
        cancelIfUnheard(result, ino, fi);
    }

    @Override
    public void created(FileAttributes attributes, double attrTimeout, double entryTimeout, FileInfo fi) {
        attributes.writeTo(attr);
        created(attributes.ino(), 0, attrTimeout, entryTimeout, fi);
    }

    @Override
    public void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi,
            int backingFd) {
        BackingFiles backing = owner == null ? null : owner.backing;
        int id = backing == null ? -1 : backing.acquire(ino, backingFd);
        if (id < 0) {
            created(ino, generation, attrTimeout, entryTimeout, fi);
            return;
        }
        fileInfoToSend(fi);
        KernelEntry.fill(openOut, ino, generation, attrTimeout, entryTimeout, attr);
        fillOpenOut(openOut.asSlice(fuse_entry_out.sizeof()), fi, id);
        claim();
        int result;
        try {
            result = fuse_reply_buf(req, openOut, fuse_entry_out.sizeof() + fuse_open_out.sizeof());
        } catch (Throwable t) {
            backing.release(ino);
            throw notSent(t);
        }
        sent(result, tracing ? "created ino=" + ino + " " + fi + " passthrough id=" + id : null);
        if (result != 0) {
            backing.release(ino);
        }
        cancelIfUnheard(result, ino, fi);
    }

    @Override
    public void attr(double timeout) {
        claim();
        int result;
        try {
            result = fuse_reply_attr(req, attr, timeout);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "attr " + describeAttr() : null);
    }

    @Override
    public void attr(FileAttributes attributes, double timeout) {
        attributes.writeTo(attr);
        attr(timeout);
    }

    private String describeAttr() {
        return "mode=0" + Integer.toOctalString(stat.st_mode(attr)) + " size=" + stat.st_size(attr)
                + " nlink=" + stat.st_nlink(attr);
    }

    // ---- ReplyReadlink

    @Override
    public MemorySegment buffer() {
        return pathBuffer;
    }

    @Override
    public void target(MemorySegment cString) {
        claim();
        int result;
        try {
            result = fuse_reply_readlink(req, cString);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "target " + DebugText.quote(cString) : null);
    }

    @Override
    public void target(String target) {
        byte[] b = target.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length == 0 || b.length >= PATH_BUFFER - 1) {
            throw new IllegalArgumentException("a symlink target of " + b.length + " bytes (1 to "
                    + (PATH_BUFFER - 2) + ")");
        }
        target(encode(b, pathBuffer, "a symlink target"));
    }

    /** {@code b} NUL-terminated into {@code buffer}; NUL inside is refused. */
    private static MemorySegment encode(byte[] b, MemorySegment buffer, String what) {
        for (byte c : b) {
            if (c == 0) {
                throw new IllegalArgumentException(what + " cannot hold NUL");
            }
        }
        MemorySegment.copy(b, 0, buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
        buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return buffer;
    }

    /** A directory entry's name, checked as the kernel checks it and NUL-terminated into {@link #nameBuffer}. */
    private MemorySegment entryName(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > NAME_MAX) {
            throw new IllegalArgumentException("a directory entry name of " + b.length + " bytes (1 to "
                    + NAME_MAX + ")");
        }
        if (name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a directory entry name cannot hold '/': " + name);
        }
        return encode(b, nameBuffer, "a directory entry name");
    }

    // ---- ReplyOpen

    @Override
    public void opened(FileInfo fi) {
        MemorySegment info = fileInfoToSend(fi);
        claim();
        int result;
        try {
            result = fuse_reply_open(req, info);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "opened " + fi : null);
        cancelIfUnheard(result, ino, fi);
    }

    @Override
    public void passthrough(FileInfo fi, int backingFd) {
        BackingFiles backing = owner == null || !"open".equals(operation) ? null : owner.backing;
        int id = backing == null ? -1 : backing.acquire(ino, backingFd);
        if (id < 0) {
            opened(fi);
            return;
        }
        fileInfoToSend(fi);
        fillOpenOut(openOut, fi, id);
        claim();
        int result;
        try {
            result = fuse_reply_buf(req, openOut, fuse_open_out.sizeof());
        } catch (Throwable t) {
            backing.release(ino);
            throw notSent(t);
        }
        sent(result, tracing ? "opened " + fi + " passthrough id=" + id : null);
        if (result != 0) {
            backing.release(ino);
        }
        cancelIfUnheard(result, ino, fi);
    }

    /** fuse_open_out for a passthrough open: the handle, the file's flags (never KEEP_CACHE), the backing id. */
    private static void fillOpenOut(MemorySegment out, FileInfo fi, int backingId) {
        int flags = FUSE_KERNEL_FOPEN_PASSTHROUGH();
        if (fi.bit(FileInfo.DIRECT_IO)) {
            flags |= FUSE_KERNEL_FOPEN_DIRECT_IO();
        }
        if (fi.bit(FileInfo.NOFLUSH)) {
            flags |= FUSE_KERNEL_FOPEN_NOFLUSH();
        }
        fuse_open_out.fh(out, fi.fh());
        fuse_open_out.open_flags(out, flags);
        fuse_open_out.backing_id(out, backingId);
    }

    /**
     * An open answer that reached no one (the caller was interrupted: ENOENT)
     * means the kernel will never release the file: release it here, as
     * libfuse's high-level API does.
     */
    private void cancelIfUnheard(int result, long inode, FileInfo fi) {
        if (result == -ENOENT() && owner != null) {
            owner.cancelOpen(operation, inode, fi);
        }
    }

    // ---- ReplyWrite

    @Override
    public void written(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("written() takes a count of bytes, not " + count);
        }
        claim();
        int result;
        try {
            result = fuse_reply_write(req, count);
        } catch (Throwable t) {
            throw notSent(t);
        }
        bytes = count;
        sent(result, tracing ? "written " + count : null);
    }

    // ---- ReplyData, ReplyXattr

    @Override
    public void fromFd(int fd, long offset, long size) {
        if (size < 0 || offset < 0) {
            throw new IllegalArgumentException("fromFd() needs a size and an offset of 0 or more");
        }
        pointAtFd(fd, offset, size);
        claim();
        int result;
        try {
            result = fuse_reply_data(req, outVec, 0);
        } catch (Throwable t) {
            throw notSent(t);
        }
        bytes = size;
        sent(result, tracing ? "data from fd " + fd + " @" + offset : null);
    }

    /** What an embedder hands to a reply must be native memory of at least {@code size} bytes. */
    private static void requireNative(MemorySegment segment, long size) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a reply needs native (off-heap) memory, not a heap segment; "
                    + "use the reply's buffer() or an Arena");
        }
        if (size < 0 || (segment.byteSize() < size && segment.byteSize() != 0)) {
            throw new IllegalArgumentException("a reply of " + size + " bytes from a segment of "
                    + segment.byteSize() + " bytes");
        }
    }

    @Override
    public MemorySegment buffer(long size) {
        if (dataBuffer.byteSize() < size) {
            long capacity = Math.max(64 * 1024, Long.highestOneBit(size - 1) << 1);
            dataBuffer = arena.allocate(capacity, 4096);
        }
        return dataBuffer;
    }

    @Override
    public void data(MemorySegment data, long size) {
        requireNative(data, size);
        claim();
        int result;
        try {
            result = fuse_reply_buf(req, data, size);
        } catch (Throwable t) {
            throw notSent(t);
        }
        bytes = size;
        sent(result, tracing ? "data " + size + " bytes" : null);
    }

    @Override
    public void data(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        MemorySegment b = buffer(length);
        MemorySegment.copy(bytes, offset, b, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, length);
        data(b, length);
    }

    @Override
    public void data(byte[] bytes) {
        data(bytes, 0, bytes.length);
    }

    @Override
    public void size(long size) {
        claim();
        int result;
        try {
            result = fuse_reply_xattr(req, size);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "size " + size : null);
    }

    // ---- ReplyStatfs

    /** Nothing of an earlier statfs answer may reach this one's. */
    void clearStatvfs() {
        statvfsBuf.fill((byte) 0);
    }

    @Override
    public MemorySegment statvfs() {
        return statvfsBuf;
    }

    @Override
    public void statfs() {
        claim();
        int result;
        try {
            result = fuse_reply_statfs(req, statvfsBuf);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, "statfs");
    }

    @Override
    public void statfs(FsStats stats) {
        stats.writeTo(statvfsBuf);
        statfs();
    }

    // ---- ReplyLseek, ReplyLock, ReplyBmap

    @Override
    public void offset(long offset) {
        claim();
        int result;
        try {
            result = fuse_reply_lseek(req, offset);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "offset " + offset : null);
    }

    @Override
    public void lock(MemorySegment flock) {
        requireNative(flock, org.panfuse.bindings.flock.sizeof());
        claim();
        int result;
        try {
            result = fuse_reply_lock(req, flock);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, "lock");
    }

    @Override
    public void block(long index) {
        claim();
        int result;
        try {
            result = fuse_reply_bmap(req, index);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "block " + index : null);
    }

    // ---- ReplyDirectory, ReplyDirectoryPlus

    void beginDirectory(long size) {
        buffer(size);
        dirCapacity = size;
        dirUsed = 0;
    }

    @Override
    public boolean add(MemorySegment name, long ino, int type, long nextOffset) {
        // fuse_add_direntry reads st_ino and st_mode alone: nothing else of the scratch struct leaves here.
        stat.st_ino(attr, ino);
        stat.st_mode(attr, type);
        MemorySegment at = dataBuffer.asSlice(dirUsed);
        long need = fuse_add_direntry(req, at, dirCapacity - dirUsed, name, attr, nextOffset);
        if (need > dirCapacity - dirUsed) {
            return false;
        }
        dirUsed += need;
        return true;
    }

    @Override
    public boolean add(MemorySegment name, long ino, long generation, double attrTimeout, double entryTimeout,
            long nextOffset) {
        fillEntry(ino, generation, attrTimeout, entryTimeout);
        MemorySegment at = dataBuffer.asSlice(dirUsed);
        long need = fuse_add_direntry_plus(req, at, dirCapacity - dirUsed, name, entryParam, nextOffset);
        if (need > dirCapacity - dirUsed) {
            return false;
        }
        dirUsed += need;
        attr.fill((byte) 0); // the next entry starts from nothing
        return true;
    }

    @Override
    public boolean add(String name, long ino, FileType type, long nextOffset) {
        return add(entryName(name), ino, type.bits(), nextOffset);
    }

    @Override
    public boolean add(String name, FileAttributes attributes, double attrTimeout, double entryTimeout,
            long nextOffset) {
        MemorySegment cName = entryName(name);
        attributes.writeTo(attr);
        // The kernel never looks "." and ".." up: they go without an entry, so they count no lookup.
        boolean dots = name.equals(".") || name.equals("..");
        return add(cName, dots ? 0 : attributes.ino(), 0, attrTimeout, entryTimeout, nextOffset);
    }

    @Override
    public void done() {
        claim();
        int result;
        try {
            result = fuse_reply_buf(req, dataBuffer, dirUsed);
        } catch (Throwable t) {
            throw notSent(t);
        }
        sent(result, tracing ? "directory " + dirUsed + " bytes" : null);
    }

    // ---- RequestContext

    private MemorySegment ctx() {
        if (ctx.equals(MemorySegment.NULL)) {
            ctx = fuse_req_ctx(req).reinterpret(fuse_ctx.sizeof());
        }
        return ctx;
    }

    @Override
    public int uid() {
        return context != null ? (int) context[0] : fuse_ctx.uid(ctx());
    }

    @Override
    public int gid() {
        return context != null ? (int) context[1] : fuse_ctx.gid(ctx());
    }

    @Override
    public int pid() {
        return context != null ? (int) context[2] : fuse_ctx.pid(ctx());
    }

    @Override
    public int umask() {
        return context != null ? (int) context[3] : fuse_ctx.umask(ctx());
    }

    @Override
    public boolean interrupted() {
        if (!detached) {
            return fuse_req_interrupted(req) != 0;
        }
        // A deferred request may be answered (and freed by libfuse) by another thread at any moment, also
        // at unmount: hold the answer while asking, and an answered request counts as interrupted.
        if (!answer.tryClaim()) {
            return answer.state() == Answer.ANSWERED;
        }
        try {
            return fuse_req_interrupted(req) != 0;
        } finally {
            answer.giveBack();
        }
    }

    // ---- WriteSource

    WriteSource source(MemorySegment bufv) {
        this.inVec = bufv.reinterpret(fuse_bufvec.sizeof());
        return this;
    }

    @Override
    public long size() {
        return fuse_buf_size(inVec);
    }

    @Override
    public long copyToFd(int fd, long offset) {
        pointAtFd(fd, offset, size());
        return checkCopy(fuse_buf_copy(outVec, inVec, 0));
    }

    @Override
    public long copyTo(MemorySegment target) {
        long size = size();
        fuse_bufvec.idx(memVec, 0);
        fuse_bufvec.off(memVec, 0);
        fuse_buf.size(memBuf, Math.min(size, target.byteSize()));
        fuse_buf.mem(memBuf, target);
        return checkCopy(fuse_buf_copy(memVec, inVec, 0));
    }

    private static long checkCopy(long result) {
        if (result < 0) {
            throw org.panfuse.fs.errno.ErrnoException.of((int) -result);
        }
        return result;
    }
}
