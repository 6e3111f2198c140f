package org.panfuse.fs.posix;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.fs.errno.ErrnoException;

/**
 * What the kernel does not say in a FUSE request but a permission check
 * depends on: the caller's supplementary groups and effective capabilities,
 * read from {@code /proc/PID/task/PID/status} (PID being the calling thread,
 * as FUSE names it) the moment the request is served.
 *
 * <p>Capabilities count only for a caller in this process's own user
 * namespace: anybody can hold every capability inside a user namespace of
 * their own ({@code unshare -Ur}), and those mean nothing here. A caller in
 * another user namespace reads as having none.
 *
 * <p>One instance per thread, reused: reading allocates nothing once the
 * buffers have grown to the largest status seen. Not thread-safe.
 */
public final class ProcessCredentials {
    private static final byte[] GROUPS = "\nGroups:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CAP_EFF = "\nCapEff:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final long[] OWN_USER_NS = userNamespace("/proc/self/ns/user");

    private final Arena arena = Arena.ofAuto();
    private MemorySegment text = arena.allocate(4096);
    private final MemorySegment path = arena.allocate(64);
    private final MemorySegment nsStat = arena.allocate(org.panfuse.bindings.stat.layout());
    private MemorySegment groups = arena.allocate(ValueLayout.JAVA_INT, 32);
    private int groupCount;
    private long capEffective;

    /** Credentials not read yet: no groups, no capabilities. Keep one per thread and reuse it. */
    public ProcessCredentials() {
    }

    /**
     * Reads the groups and effective capabilities of thread {@code tid}. A
     * thread that is gone (or a tid of 0, for requests the kernel makes on its
     * own) reads as having no groups and no capabilities: the least privilege.
     *
     * @param tid the calling thread's id, as {@link org.panfuse.fs.lowlevel.RequestContext#pid()} gives it
     * @return this object, holding what was read until the next call
     */
    public ProcessCredentials read(int tid) {
        groupCount = 0;
        capEffective = 0;
        if (tid <= 0) {
            return this;
        }
        long length = readStatus(tid);
        if (length <= 0) {
            return this;
        }
        parseGroups(length);
        if (inOwnUserNamespace(tid)) {
            capEffective = parseHex(find(CAP_EFF, length), length);
        }
        return this;
    }

    /** The (st_dev, st_ino) of a user namespace link, or null if it cannot be read. */
    private static long[] userNamespace(String link) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(org.panfuse.bindings.stat.layout());
            Libc.fstatat(AT_FDCWD(), a.allocateFrom(link), st, 0);
            return new long[] {org.panfuse.bindings.stat.st_dev(st), org.panfuse.bindings.stat.st_ino(st)};
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** True if thread {@code tid} is in this process's user namespace (/proc/TID/ns/user is ours). */
    private boolean inOwnUserNamespace(int tid) {
        if (OWN_USER_NS == null) {
            return false;
        }
        writePath(tid, "/ns/user");
        try {
            Libc.fstatat(AT_FDCWD(), path, nsStat, 0);
        } catch (ErrnoException gone) {
            return false;
        }
        return org.panfuse.bindings.stat.st_dev(nsStat) == OWN_USER_NS[0]
                && org.panfuse.bindings.stat.st_ino(nsStat) == OWN_USER_NS[1];
    }

    /**
     * {@return the supplementary groups as a native gid_t array,
     * {@link #groupCount()} long} Owned by this object, and overwritten (or
     * replaced by a bigger one) by the next {@link #read}.
     */
    public MemorySegment groups() {
        return groups;
    }

    /** {@return the number of supplementary groups read} */
    public int groupCount() {
        return groupCount;
    }

    /**
     * {@return the effective capability set as a bit mask (bit n = capability
     * n); 0 for a caller in another user namespace}
     */
    public long capEffective() {
        return capEffective;
    }

    private long readStatus(int tid) {
        writePath(tid, "/status");
        int fd;
        try {
            fd = Libc.openat(AT_FDCWD(), path, O_RDONLY() | O_CLOEXEC(), 0);
        } catch (ErrnoException gone) {
            return -1;
        }
        try {
            long total = 0;
            while (true) {
                if (total == text.byteSize()) {
                    MemorySegment bigger = arena.allocate(text.byteSize() * 2);
                    MemorySegment.copy(text, 0, bigger, 0, total);
                    text = bigger;
                }
                long n = Libc.read(fd, text.asSlice(total), text.byteSize() - total);
                if (n == 0) {
                    return total;
                }
                total += n;
            }
        } catch (ErrnoException e) {
            return -1;
        } finally {
            Libc.close(fd);
        }
    }

    /** "/proc/TID/task/TID" + {@code rest} into {@link #path}, NUL-terminated, without making a String. */
    private void writePath(int tid, String rest) {
        long at = put(0, "/proc/");
        at = putNumber(at, tid);
        at = put(at, "/task/");
        at = putNumber(at, tid);
        at = put(at, rest);
        path.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
    }

    private long put(long at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            path.set(ValueLayout.JAVA_BYTE, at++, (byte) ascii.charAt(i));
        }
        return at;
    }

    private long putNumber(long at, int value) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = digits - 1, v = value; i >= 0; i--, v /= 10) {
            path.set(ValueLayout.JAVA_BYTE, at + i, (byte) ('0' + v % 10));
        }
        return at + digits;
    }

    /** The offset just past {@code key} in the status text, or -1. */
    private long find(byte[] key, long length) {
        outer:
        for (long i = 0; i + key.length <= length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (text.get(ValueLayout.JAVA_BYTE, i + j) != key[j]) {
                    continue outer;
                }
            }
            return i + key.length;
        }
        return -1;
    }

    private void parseGroups(long length) {
        long at = find(GROUPS, length);
        if (at < 0) {
            return;
        }
        long value = -1;
        for (; at < length; at++) {
            byte b = text.get(ValueLayout.JAVA_BYTE, at);
            if (b >= '0' && b <= '9') {
                value = (value < 0 ? 0 : value * 10) + (b - '0');
                continue;
            }
            if (value >= 0) {
                addGroup((int) value);
                value = -1;
            }
            if (b == '\n') {
                return;
            }
        }
    }

    private void addGroup(int gid) {
        if (groupCount == groups.byteSize() / Integer.BYTES) {
            MemorySegment bigger = arena.allocate(ValueLayout.JAVA_INT, groupCount * 2L);
            MemorySegment.copy(groups, 0, bigger, 0, groups.byteSize());
            groups = bigger;
        }
        groups.setAtIndex(ValueLayout.JAVA_INT, groupCount++, gid);
    }

    private long parseHex(long at, long length) {
        if (at < 0) {
            return 0;
        }
        long value = 0;
        for (; at < length; at++) {
            byte b = text.get(ValueLayout.JAVA_BYTE, at);
            int digit = Character.digit(b, 16);
            if (digit >= 0) {
                value = (value << 4) | digit;
            } else if (b != '\t' && b != ' ') {
                break;
            }
        }
        return value;
    }
}
