/**
 * panfuse's hand-written layers on the generated bindings: the low-level
 * dispatcher an embedder implements filesystems against.
 */
module org.panfuse.fs {
    requires transitive org.panfuse.bindings;

    exports org.panfuse.fs.lowlevel;
}
