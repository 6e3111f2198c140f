/** Example filesystems written only against panfuse's exported API. */
module org.panfuse.examples {
    requires org.panfuse.fs;

    exports org.panfuse.examples.memtree;
}
