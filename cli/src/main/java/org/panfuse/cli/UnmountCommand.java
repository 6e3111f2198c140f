package org.panfuse.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code panfuse unmount MOUNTPOINT}: unmounts a panfuse mount; when it is
 * busy, says which processes hold it and detaches it lazily (or, with
 * {@code --no-lazy}, leaves it mounted and fails).
 */
@Command(name = "unmount", aliases = "umount", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Unmounts the panfuse mount on MOUNTPOINT; its server then exits. Other filesystems are left alone.",
            "If it is busy, says what holds it (processes with their working directory, an open or mapped file "
                    + "there; mounts inside it) and unmounts it lazily: gone from the tree at once, finished when "
                    + "they let go. Without root, through fusermount3, for the user's own mounts."
        })
final class UnmountCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MOUNTPOINT", description = "where the panfuse mount is")
    Path mountpoint;

    @Option(names = "--no-lazy", description = "if the mount is busy, leave it mounted and exit 1")
    boolean noLazy;

    @Override
    public Integer call() {
        List<MountEntry> table = MountEntry.readAll();
        Path target = MountEntry.resolve(mountpoint);
        MountEntry mount = MountEntry.on(table, target);
        if (mount == null && Files.isSymbolicLink(target)) {
            // A link to the mountpoint: the mount is where it leads.
            target = MountEntry.resolve(resolveLink(target));
            mount = MountEntry.on(table, target);
        }
        if (mount == null) {
            throw new UserError(Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? target + " is not a mount point"
                    : target + " does not exist");
        }
        if (!mount.isPanfuse()) {
            throw new UserError(target + " is not a panfuse mount (it is " + mount.type() + "); use umount for it");
        }
        if (Unmounter.unmount(target, false) == Unmounter.Outcome.UNMOUNTED) {
            System.err.println("panfuse: unmounted " + target);
            return 0;
        }
        List<MountEntry> inside = MountEntry.below(table, target);
        String why = MountHolders.describe(MountHolders.find(mount, inside), inside,
                org.panfuse.bindings.panfuse_h.geteuid() == 0);
        if (noLazy) {
            throw new UserError(target + " is busy: " + why + "; left mounted (--no-lazy)");
        }
        Unmounter.unmount(target, true);
        System.err.println("panfuse: " + target + " is busy: " + why + "; unmounting lazily (it goes when they let go)");
        return 0;
    }

    private static Path resolveLink(Path link) {
        try {
            Path to = Files.readSymbolicLink(link);
            return link.resolveSibling(to);
        } catch (java.io.IOException e) {
            throw new UserError("cannot read the link " + link + ": " + e.getMessage());
        }
    }
}
