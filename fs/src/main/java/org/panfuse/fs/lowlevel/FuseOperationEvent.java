package org.panfuse.fs.lowlevel;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One FUSE request, as JDK Flight Recorder sees it: which operation on which
 * inode, how many bytes it moved, how it ended, and (the event's duration) how
 * long the filesystem took. Made only while a recording has it enabled, so a
 * mount that nobody records pays one flag check per request.
 *
 * <pre>jcmd PID JFR.start settings=profile    # or -XX:StartFlightRecording
 * jfr print --events org.panfuse.FuseOperation recording.jfr</pre>
 */
@Name("org.panfuse.FuseOperation")
@Label("FUSE Operation")
@Category({"panfuse", "FUSE"})
@Description("A request from the kernel, from the upcall to the answer")
@StackTrace(false)
public final class FuseOperationEvent extends Event {
    /**
     * The operation: the {@link LowLevelFileSystem} method's name ("lookup",
     * "read", ...; "copy_file_range" for copyFileRange).
     */
    @Label("Operation")
    public String operation;

    /**
     * The inode the request is about: the parent directory for an operation
     * on a name in it, the source file for a copy.
     */
    @Label("Inode")
    public long inode;

    /**
     * Bytes moved: written, copied, or the size a read answered with (for a
     * read answered from a descriptor, the size asked for).
     */
    @Label("Bytes")
    @Description("written, copied, or asked for by a read (a spliced read does not learn how many it sent)")
    @DataAmount
    public long bytes;

    /** 0 for success, else the errno answered. */
    @Label("Errno")
    @Description("0 for success, else the errno answered")
    public int errno;

    /** An event not yet begun: the library makes one per request while a recording wants it. */
    public FuseOperationEvent() {
    }
}
