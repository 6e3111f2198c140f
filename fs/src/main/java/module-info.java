/**
 * panfuse's hand-written layers on the generated bindings: the low-level
 * dispatcher an embedder implements filesystems against, the POSIX layer, the
 * passthrough filesystem and the mount command.
 */
module org.panfuse.fs {
    requires transitive org.panfuse.bindings;
    requires org.slf4j;
    requires jdk.jfr;

    exports org.panfuse.fs.errno;
    exports org.panfuse.fs.lowlevel;
    exports org.panfuse.fs.posix;
    exports org.panfuse.fs.passthrough;

    requires info.picocli;
    requires jdk.unsupported;

    opens org.panfuse.fs.cli to info.picocli;
}
