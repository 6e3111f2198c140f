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
    @Label("Operation")
    public String operation;

    @Label("Inode")
    public long inode;

    @Label("Bytes")
    @Description("written, copied, or asked for by a read (a spliced read does not learn how many it sent)")
    @DataAmount
    public long bytes;

    @Label("Errno")
    @Description("0 for success, else the errno answered")
    public int errno;
}
