package org.panfuse.fs.lowlevel;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.panfuse.bindings.fuse_buf;
import org.panfuse.bindings.fuse_custom_io;
import org.panfuse.bindings.fuse_in_header;
import org.panfuse.bindings.fuse_init_in;
import org.panfuse.bindings.fuse_init_out;
import org.panfuse.bindings.fuse_out_header;
import org.panfuse.bindings.iovec;

/**
 * The INIT exchange, done before the request loop starts, so that a
 * filesystem can have what libfuse 3.14 cannot negotiate: kernel passthrough
 * (FUSE_PASSTHROUGH is bit 37, in the second flags word that 3.14 never
 * sends, and the reply's max_stack_depth is past the struct it knows), and
 * parallel directory operations (libfuse before 3.17 keeps
 * FUSE_CAP_PARALLEL_DIROPS in its want flags but never puts
 * FUSE_PARALLEL_DIROPS into the reply, so the kernel serializes every lookup
 * and readdir of a directory on a mutex).
 *
 * <p>INIT is received and handed to libfuse as usual (which calls the
 * filesystem's {@code init}); only its reply is caught on the way out,
 * through libfuse's custom I/O hooks, amended and written to /dev/fuse. Then
 * the hooks are set to libc's own read, writev and splice: no Java code sits
 * on the path of any later request or reply.
 */
final class InitHandshake {
    /** The depth of stacked filesystems below a backing file: 1 lets the mount itself sit under overlayfs. */
    static final int MAX_STACK_DEPTH = 1;

    private static final MethodHandle WRITEV = Linker.nativeLinker().downcallHandle(writev$address(),
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));

    private final Dispatcher dispatcher;
    /** The INIT reply went out (amended as needed). */
    private boolean replied;
    /** It asked for passthrough. */
    private boolean amended;

    private InitHandshake(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Receives and answers INIT on {@code session}, offering passthrough to
     * the filesystem if the kernel does; afterwards the session reads and
     * writes /dev/fuse with libc alone. Returns whether the reply asked for
     * passthrough.
     */
    static boolean run(MemorySegment session, Dispatcher dispatcher) {
        InitHandshake handshake = new InitHandshake(dispatcher);
        int fd = fuse_session_fd(session);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment io = fuse_custom_io.allocate(arena);
            io.fill((byte) 0);
            fuse_custom_io.writev(io, fuse_custom_io.writev.allocate(handshake::writev, arena));
            fuse_custom_io.read(io, read$address());
            // Splice hooks must be there, or libfuse stops offering splice.
            fuse_custom_io.splice_receive(io, splice$address());
            fuse_custom_io.splice_send(io, splice$address());
            if (fuse_session_custom_io(session, io, fd) != 0) {
                throw new MountException("libfuse refused the INIT hook");
            }
            MemorySegment buf = fuse_buf.allocate(arena);
            buf.fill((byte) 0);
            int received = fuse_session_receive_buf(session, buf);
            if (received <= 0) {
                throw new MountException("no INIT from the kernel (" + received + ")");
            }
            try {
                MemorySegment request = fuse_buf.mem(buf).reinterpret(received);
                dispatcher.passthroughOffered = kernelOffersPassthrough(request);
                fuse_session_process_buf(session, buf);
            } finally {
                free(fuse_buf.mem(buf));
            }
            // From here on: libc's own calls, as without hooks.
            MemorySegment plain = fuse_custom_io.allocate(arena);
            plain.fill((byte) 0);
            fuse_custom_io.writev(plain, writev$address());
            fuse_custom_io.read(plain, read$address());
            fuse_custom_io.splice_receive(plain, splice$address());
            fuse_custom_io.splice_send(plain, splice$address());
            if (fuse_session_custom_io(session, plain, fd) != 0) {
                throw new MountException("libfuse refused the plain I/O hooks");
            }
        }
        return handshake.amended;
    }

    /** Whether the INIT request says the kernel can pass files through. */
    private static boolean kernelOffersPassthrough(MemorySegment request) {
        if (request.byteSize() < fuse_in_header.sizeof() + fuse_init_in.flags2$offset() + 4
                || fuse_in_header.opcode(request) != FUSE_KERNEL_OP_INIT()) {
            return false;
        }
        MemorySegment in = request.asSlice(fuse_in_header.sizeof());
        return (fuse_init_in.flags(in) & FUSE_KERNEL_INIT_EXT()) != 0
                && (fuse_init_in.flags2(in) & FUSE_KERNEL_PASSTHROUGH_FLAGS2()) != 0;
    }

    /** libfuse's writev, for the INIT reply only: amended for parallel dirops and passthrough. */
    private long writev(int fd, MemorySegment iov, int count, MemorySegment userdata) {
        try {
            if (!replied && count >= 2) {
                replied = true;
                MemorySegment v = iov.reinterpret(iovec.sizeof() * count);
                MemorySegment header = iovec.iov_base(v).reinterpret(fuse_out_header.sizeof());
                MemorySegment second = v.asSlice(iovec.sizeof());
                long length = iovec.iov_len(second);
                if (fuse_out_header.error(header) == 0 && length >= fuse_init_out.flags$offset() + 4) {
                    MemorySegment out = iovec.iov_base(second).reinterpret(length);
                    if (dispatcher.parallelDirops) {
                        fuse_init_out.flags(out, fuse_init_out.flags(out) | FUSE_KERNEL_PARALLEL_DIROPS());
                    }
                    if (dispatcher.passthroughDecided && length >= fuse_init_out.max_stack_depth$offset() + 4) {
                        fuse_init_out.flags(out, fuse_init_out.flags(out) | FUSE_KERNEL_INIT_EXT());
                        fuse_init_out.flags2(out, fuse_init_out.flags2(out) | FUSE_KERNEL_PASSTHROUGH_FLAGS2());
                        fuse_init_out.max_stack_depth(out, MAX_STACK_DEPTH);
                        amended = true;
                    }
                }
            }
            return (long) WRITEV.invokeExact(fd, iov, count);
        } catch (Throwable t) {
            // Never into native code: an INIT reply that cannot be written fails the mount.
            return -1;
        }
    }
}
