package org.panfuse.fs.lowlevel;

/**
 * Whether kernel passthrough is in force on a mount, and if not, why: with
 * it, the open files a filesystem names a backing descriptor for
 * ({@link ReplyOpen#passthrough}) are read, written and mapped by the kernel
 * itself, and their data never reaches the filesystem.
 *
 * @param inForce whether backing files are in use on this mount
 * @param reason  one line a user can act on
 */
public record KernelPassthrough(boolean inForce, String reason) {
    static KernelPassthrough off(String reason) {
        return new KernelPassthrough(false, reason);
    }

    static final KernelPassthrough IN_FORCE = new KernelPassthrough(true, "kernel passthrough in force");
}
