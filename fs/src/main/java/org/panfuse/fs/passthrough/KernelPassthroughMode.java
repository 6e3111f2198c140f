package org.panfuse.fs.passthrough;

/** Whether the passthrough asks the kernel to read and write its files itself (kernel passthrough). */
public enum KernelPassthroughMode {
    /** Where the kernel, the privileges and the options allow it; else through the server. */
    AUTO,
    /**
     * Or not mount at all: asked for as with {@link #AUTO}; whoever mounts
     * then checks {@link org.panfuse.fs.lowlevel.FuseMount#kernelPassthrough()}
     * and unmounts when it is not in force (as {@code panfuse mount} does).
     */
    ALWAYS,
    /** Every read and write through the server. */
    NEVER
}
