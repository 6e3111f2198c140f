package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.panfuse.bindings.fuse_buf;
import org.panfuse.bindings.fuse_bufvec;
import org.panfuse.bindings.fuse_ctx;
import org.panfuse.bindings.fuse_entry_param;
import org.panfuse.bindings.stat;
import org.panfuse.bindings.statvfs;
import org.panfuse.fs.errno.Errno;

/**
 * One worker thread's answer machinery: it implements every reply type, holds
 * the thread's scratch structs (entry, stat, statvfs, buffer vectors, data
 * and directory buffers), and enforces "answered exactly once". The
 * dispatcher points it at each request in turn, so replying allocates nothing.
 */
final class RequestReplies implements ReplyEmpty, ReplyEntry, ReplyCreate, ReplyAttr, ReplyReadlink, ReplyOpen,
        ReplyWrite, ReplyData, ReplyStatfs, ReplyXattr, ReplyLseek, ReplyDirectory, ReplyDirectoryPlus, ReplyLock,
        ReplyBmap, RequestContext, WriteSource {

    private static final int PATH_BUFFER = 4096 + 1;

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
    private MemorySegment dataBuffer = MemorySegment.NULL;

    final FileInfo fileInfo = new FileInfo();
    final FileInfo fileInfoOut = new FileInfo();

    private MemorySegment req = MemorySegment.NULL;
    private MemorySegment ctx = MemorySegment.NULL;
    private MemorySegment inVec = MemorySegment.NULL;
    private boolean answered;
    private long dirCapacity;
    private long dirUsed;

    /** What was answered, for --debug; only written when tracing. */
    boolean tracing;
    String outcome;

    /** The flight-recorder event of this request, or null when no recording wants it. */
    FuseOperationEvent event;
    /** Bytes the answer moved (read, write, copy_file_range) and the errno it carried: for the event. */
    long bytes;
    int errno;

    RequestReplies() {
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

    RequestReplies begin(MemorySegment request) {
        this.req = request;
        this.ctx = MemorySegment.NULL;
        this.answered = false;
        this.outcome = null;
        this.bytes = 0;
        this.errno = 0;
        return this;
    }

    boolean answered() {
        return answered;
    }

    /** Marks the request answered, refusing a second answer. */
    private void answer() {
        if (answered) {
            throw new IllegalStateException("request already answered");
        }
        answered = true;
    }

    private void sent(int result, String what) {
        if (tracing) {
            outcome = result == 0 ? what : what + " (send failed: " + Errno.describe(-result) + ")";
        }
    }

    // ---- Reply

    @Override
    public void error(int errno) {
        answer();
        this.errno = errno;
        sent(fuse_reply_err(req, errno), "error " + (tracing ? Errno.describe(errno) : ""));
    }

    @Override
    public RequestContext context() {
        return this;
    }

    void none() {
        answer();
        fuse_reply_none(req);
        if (tracing) {
            outcome = "(no reply)";
        }
    }

    // ---- ReplyEmpty

    @Override
    public void ok() {
        answer();
        sent(fuse_reply_err(req, 0), "ok");
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
        answer();
        fillEntry(ino, generation, attrTimeout, entryTimeout);
        sent(fuse_reply_entry(req, entryParam), tracing ? "entry ino=" + ino + " " + describeAttr() : null);
    }

    @Override
    public void noEntry(double entryTimeout) {
        answer();
        fillEntry(0, 0, 0, entryTimeout);
        sent(fuse_reply_entry(req, entryParam), "negative entry");
    }

    @Override
    public void created(long ino, long generation, double attrTimeout, double entryTimeout, FileInfo fi) {
        answer();
        fillEntry(ino, generation, attrTimeout, entryTimeout);
        sent(fuse_reply_create(req, entryParam, fi.segment()), tracing ? "created ino=" + ino + " " + fi : null);
    }

    @Override
    public void attr(double timeout) {
        answer();
        sent(fuse_reply_attr(req, attr, timeout), tracing ? "attr " + describeAttr() : null);
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
        answer();
        sent(fuse_reply_readlink(req, cString), tracing ? "target " + cString.reinterpret(PATH_BUFFER).getString(0) : null);
    }

    // ---- ReplyOpen

    @Override
    public void opened(FileInfo fi) {
        answer();
        sent(fuse_reply_open(req, fi.segment()), tracing ? "opened " + fi : null);
    }

    // ---- ReplyWrite

    @Override
    public void written(long count) {
        answer();
        bytes = count;
        sent(fuse_reply_write(req, count), tracing ? "written " + count : null);
    }

    // ---- ReplyData, ReplyXattr

    @Override
    public void fromFd(int fd, long offset, long size) {
        answer();
        bytes = size;
        pointAtFd(fd, offset, size);
        sent(fuse_reply_data(req, outVec, 0), tracing ? "data from fd " + fd + " @" + offset : null);
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
        answer();
        bytes = size;
        sent(fuse_reply_buf(req, data, size), tracing ? "data " + size + " bytes" : null);
    }

    @Override
    public void size(long size) {
        answer();
        sent(fuse_reply_xattr(req, size), tracing ? "size " + size : null);
    }

    // ---- ReplyStatfs

    @Override
    public MemorySegment statvfs() {
        return statvfsBuf;
    }

    @Override
    public void statfs() {
        answer();
        sent(fuse_reply_statfs(req, statvfsBuf), "statfs");
    }

    // ---- ReplyLseek, ReplyLock, ReplyBmap

    @Override
    public void offset(long offset) {
        answer();
        sent(fuse_reply_lseek(req, offset), tracing ? "offset " + offset : null);
    }

    @Override
    public void lock(MemorySegment flock) {
        answer();
        sent(fuse_reply_lock(req, flock), "lock");
    }

    @Override
    public void block(long index) {
        answer();
        sent(fuse_reply_bmap(req, index), tracing ? "block " + index : null);
    }

    // ---- ReplyDirectory, ReplyDirectoryPlus

    void beginDirectory(long size) {
        buffer(size);
        dirCapacity = size;
        dirUsed = 0;
    }

    @Override
    public boolean add(MemorySegment name, long ino, int type, long nextOffset) {
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
        return true;
    }

    @Override
    public void done() {
        answer();
        sent(fuse_reply_buf(req, dataBuffer, dirUsed), tracing ? "directory " + dirUsed + " bytes" : null);
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
        return fuse_ctx.uid(ctx());
    }

    @Override
    public int gid() {
        return fuse_ctx.gid(ctx());
    }

    @Override
    public int pid() {
        return fuse_ctx.pid(ctx());
    }

    @Override
    public int umask() {
        return fuse_ctx.umask(ctx());
    }

    @Override
    public boolean interrupted() {
        return fuse_req_interrupted(req) != 0;
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
