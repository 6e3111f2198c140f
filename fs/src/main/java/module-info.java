/**
 * panfuse's hand-written layers on the generated bindings: the low-level
 * dispatcher an embedder implements filesystems against, the POSIX layer and
 * the passthrough filesystem. No command line and no logging binding: those
 * are the mount command's (module org.panfuse.cli).
 */
module org.panfuse.fs {
    requires transitive org.panfuse.bindings;
    requires org.slf4j;
    requires jdk.jfr;
    requires org.eclipse.jgit;

    exports org.panfuse.fs.errno;
    exports org.panfuse.fs.lowlevel;
    exports org.panfuse.fs.posix;
    exports org.panfuse.fs.tree;
    exports org.panfuse.fs.passthrough;
}
