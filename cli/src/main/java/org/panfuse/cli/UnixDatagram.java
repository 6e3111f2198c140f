package org.panfuse.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An AF_UNIX datagram socket, for the two messages a daemon sends without a
 * connection: sd_notify's state to {@code $NOTIFY_SOCKET} and log lines to
 * syslog's {@code /dev/log}. The JDK has only stream sockets for AF_UNIX
 * ({@code UnixDomainSocketAddress}), so this is socket(2), bind(2),
 * sendto(2) and recv(2) through the FFM linker, errno captured at the call.
 *
 * <p>An address that starts with '@' is in the abstract namespace (systemd
 * gives NOTIFY_SOCKET that way): the '@' stands for the leading NUL byte.
 */
final class UnixDatagram implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int EAGAIN = 11;
    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int PATH_MAX_BYTES = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_VALUE = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, ERRNO);
    }

    // Linked on first use (each handle costs milliseconds to spin): one holder class per function.
    private static final class Socket {
        static final MethodHandle H = function("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Bind {
        static final MethodHandle H = function("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private static final class SendTo {
        static final MethodHandle H = function("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private static final class Recv {
        static final MethodHandle H = function("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }

    private static final class Close {
        static final MethodHandle H = function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));
    }

    /** A failed socket call: the call's name and errno. */
    static final class SocketException extends RuntimeException {
        final int errno;

        SocketException(String call, int errno) {
            super(call + " failed (errno " + errno + ")", null, false, false);
            this.errno = errno;
        }
    }

    private final int fd;
    private boolean closed;

    private UnixDatagram(int fd) {
        this.fd = fd;
    }

    /** A new unbound datagram socket; {@code nonBlocking} makes {@link #receive} return null instead of waiting. */
    static UnixDatagram open(boolean nonBlocking) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int fd = (int) Socket.H.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC
                    | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
            check(fd, "socket", state);
            return new UnixDatagram(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Binds the socket to {@code address} (a path, or '@' and an abstract name), so datagrams can be received. */
    void bind(String address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            Address a = address(arena, address);
            check((int) Bind.H.invokeExact(state, fd, a.segment(), a.length()), "bind", state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends {@code message} as one datagram to {@code address}; a failure throws {@link SocketException}. */
    void send(String address, byte[] message) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            Address a = address(arena, address);
            MemorySegment data = arena.allocate(Math.max(1, message.length));
            MemorySegment.copy(message, 0, data, ValueLayout.JAVA_BYTE, 0, message.length);
            long sent = (long) SendTo.H.invokeExact(state, fd, data, (long) message.length, MSG_NOSIGNAL,
                    a.segment(), a.length());
            check(sent, "sendto", state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The next datagram (up to {@code max} bytes), or null if none is waiting on a non-blocking socket. */
    byte[] receive(int max) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment buf = arena.allocate(max);
            long n = (long) Recv.H.invokeExact(state, fd, buf, (long) max, 0);
            if (n < 0 && (int) ERRNO_VALUE.get(state, 0L) == EAGAIN) {
                return null;
            }
            check(n, "recv", state);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Close.H.invokeExact(arena.allocate(Linker.Option.captureStateLayout()), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private record Address(MemorySegment segment, int length) {
    }

    /** struct sockaddr_un for {@code address}; the length counts the path's NUL only for a path. */
    private static Address address(Arena arena, String address) {
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length == 0 || path.length + (abstractName ? 0 : 1) > PATH_MAX_BYTES) {
            throw new IllegalArgumentException("not a unix socket address: '" + address + "'");
        }
        if (abstractName) {
            path = Arrays.copyOf(path, path.length);
            path[0] = 0;
        }
        MemorySegment sa = arena.allocate(SOCKADDR_UN_SIZE);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, sa, ValueLayout.JAVA_BYTE, 2, path.length);
        return new Address(sa, 2 + path.length + (abstractName ? 0 : 1));
    }

    private static void check(long result, String call, MemorySegment state) {
        if (result < 0) {
            throw new SocketException(call, (int) ERRNO_VALUE.get(state, 0L));
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
