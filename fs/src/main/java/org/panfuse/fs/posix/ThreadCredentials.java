package org.panfuse.fs.posix;

import static org.panfuse.bindings.panfuse_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.panfuse.bindings.__user_cap_data_struct;
import org.panfuse.bindings.__user_cap_header_struct;
import org.panfuse.fs.errno.ErrnoException;

/**
 * The calling thread's own filesystem credentials, switchable per request:
 * fsuid, fsgid, supplementary groups and effective capabilities, so that a
 * server running as root performs a system call exactly as the process that
 * sent the request would, and the filesystem beneath decides (modes, ACLs,
 * setgid inheritance, sticky directories, quotas, reserved blocks).
 *
 * <p>Every call here changes this thread only: {@code setfsuid}/{@code setfsgid}
 * are per-thread system calls, and groups and capabilities are set with the raw
 * {@code setgroups} and {@code capset} system calls (glibc's setgroups wrapper
 * would change every thread of the process). {@link #umask(int)} gives the
 * thread its own umask ({@code unshare(CLONE_FS)} on first use).
 *
 * <pre>{@code
 * try (ThreadCredentials as = ThreadCredentials.current().become(uid, gid, callerStatus)) {
 *     Libc.mkdirat(dirFd, name, mode);     // as the caller
 * }                                        // back to the server's own credentials
 * }</pre>
 *
 * One instance per thread, reused; not to be shared between threads.
 */
public final class ThreadCredentials implements AutoCloseable {
    private static final ThreadLocal<ThreadCredentials> THREAD = ThreadLocal.withInitial(ThreadCredentials::new);
    private static final int OWN_GROUPS_MAX = 1024;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment header = __user_cap_header_struct.allocate(arena);
    /** Two __user_cap_data_struct: capabilities 0-31, then 32-63. */
    private final MemorySegment caps = __user_cap_data_struct.allocateArray(_LINUX_CAPABILITY_U32S_3(), arena);
    private final MemorySegment ownGroups = arena.allocate(ValueLayout.JAVA_INT, OWN_GROUPS_MAX);
    private final int ownGroupCount;
    private final int ownFsuid;
    private final int ownFsgid;
    private final int ownEffective0;
    private final int ownEffective1;
    private final int permitted0;
    private final int permitted1;
    private boolean switched;
    private boolean ownFsStruct;
    private int umask = -1;

    private ThreadCredentials() {
        ownFsuid = Libc.setfsuid(-1);
        ownFsgid = Libc.setfsgid(-1);
        ownGroupCount = Libc.getgroups(OWN_GROUPS_MAX, ownGroups);
        loadHeader();
        Libc.capget(header, caps);
        ownEffective0 = __user_cap_data_struct.effective(cap(0));
        ownEffective1 = __user_cap_data_struct.effective(cap(1));
        permitted0 = __user_cap_data_struct.permitted(cap(0));
        permitted1 = __user_cap_data_struct.permitted(cap(1));
    }

    /**
     * {@return this thread's credentials} Made on the thread's first call,
     * which records its own fsuid, fsgid, groups and capabilities as the ones
     * {@link #close()} returns to.
     *
     * @throws org.panfuse.fs.errno.ErrnoException if the thread's groups or capabilities cannot be read
     */
    public static ThreadCredentials current() {
        return THREAD.get();
    }

    /** {@return the fsuid this thread runs with when not acting for a caller} */
    public int ownUid() {
        return ownFsuid;
    }

    /** {@return the fsgid this thread runs with when not acting for a caller} */
    public int ownGid() {
        return ownFsgid;
    }

    /**
     * {@return true if this thread may take on other users' credentials: it
     * is permitted CAP_SETUID and CAP_SETGID}
     */
    public boolean canSwitch() {
        return hasOwn(CAP_SETUID()) && hasOwn(CAP_SETGID());
    }

    /**
     * {@return true if {@code capEffective} (a caller's) holds every
     * capability this thread has in effect} Then acting as that caller gives
     * it nothing this thread lacks.
     *
     * @param capEffective an effective capability set, as {@link ProcessCredentials#capEffective()}
     */
    public boolean coversOwn(long capEffective) {
        return ((int) capEffective & ownEffective0) == ownEffective0
                && ((int) (capEffective >>> 32) & ownEffective1) == ownEffective1;
    }

    private boolean hasOwn(int capability) {
        int word = capability < 32 ? permitted0 : permitted1;
        return (word & (1 << (capability % 32))) != 0;
    }

    /**
     * Takes on {@code uid}, {@code gid}, and the groups and effective
     * capabilities in {@code caller} (capabilities limited to what this thread
     * itself is permitted), until {@link #close()}. Fails with EPERM, leaving
     * the thread as it was, if any part cannot be taken on: never half-switched.
     *
     * @param uid    the fsuid to take on
     * @param gid    the fsgid to take on
     * @param caller the caller's groups and capabilities, read for this request
     * @return this object, to close (try-with-resources) once the system calls are done
     * @throws IllegalStateException                if this thread is already switched
     * @throws org.panfuse.fs.errno.ErrnoException EPERM (or the failing call's errno) if a part cannot be
     *                                              taken on
     */
    public ThreadCredentials become(int uid, int gid, ProcessCredentials caller) {
        if (switched) {
            throw new IllegalStateException("credentials already switched on this thread");
        }
        switched = true;
        try {
            Libc.setgroupsThisThread(caller.groupCount(), caller.groups());
            Libc.setfsgid(gid);
            Libc.setfsuid(uid);
            if (Libc.setfsgid(-1) != gid || Libc.setfsuid(-1) != uid) {
                throw ErrnoException.of(EPERM());
            }
            long eff = caller.capEffective();
            setCaps((int) eff & permitted0, (int) (eff >>> 32) & permitted1);
        } catch (Throwable t) {
            close();
            throw t;
        }
        return this;
    }

    /**
     * Back to this thread's own credentials. Idempotent. If they cannot be
     * restored, the process is halted (exit status 70) rather than let the
     * thread serve on with someone else's identity.
     */
    @Override
    public void close() {
        if (!switched) {
            return;
        }
        try {
            // Capabilities first: setting the ids and groups back needs CAP_SETUID and CAP_SETGID.
            setCaps(ownEffective0, ownEffective1);
            Libc.setfsuid(ownFsuid);
            Libc.setfsgid(ownFsgid);
            Libc.setgroupsThisThread(ownGroupCount, ownGroups);
            if (Libc.setfsuid(-1) != ownFsuid || Libc.setfsgid(-1) != ownFsgid) {
                throw new IllegalStateException("fsuid/fsgid did not return to " + ownFsuid + "/" + ownFsgid);
            }
        } catch (Throwable t) {
            // The thread would go on serving with someone else's identity, or with too little: nothing is
            // safe to do but stop the process (the mount then answers ENOTCONN, never as the wrong user).
            System.err.println("panfuse: could not restore a worker thread's credentials (" + t + "); stopping");
            Runtime.getRuntime().halt(70);
        }
        switched = false;
    }

    /**
     * Sets this thread's umask (and only this thread's: the first call gives
     * the thread its own copy of the process's umask, cwd and root).
     *
     * @param mask the umask, e.g. {@code 022}
     * @throws org.panfuse.fs.errno.ErrnoException if the thread cannot get its own copy ({@code unshare})
     */
    public void umask(int mask) {
        if (mask == umask) {
            return;
        }
        if (!ownFsStruct) {
            Libc.unshare(CLONE_FS());
            ownFsStruct = true;
        }
        org.panfuse.bindings.panfuse_h.umask(mask);
        umask = mask;
    }

    private void setCaps(int effective0, int effective1) {
        loadHeader();
        __user_cap_data_struct.effective(cap(0), effective0);
        __user_cap_data_struct.effective(cap(1), effective1);
        __user_cap_data_struct.permitted(cap(0), permitted0);
        __user_cap_data_struct.permitted(cap(1), permitted1);
        Libc.capset(header, caps);
    }

    private void loadHeader() {
        __user_cap_header_struct.version(header, _LINUX_CAPABILITY_VERSION_3());
        __user_cap_header_struct.pid(header, 0);
    }

    private MemorySegment cap(int index) {
        return __user_cap_data_struct.asSlice(caps, index);
    }
}
