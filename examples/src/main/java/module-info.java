/** Example filesystems written only against panfuse's exported API. */
module org.panfuse.examples {
    requires org.panfuse.fs;
    // The ZIP example reads archives through the JDK's ZIP filesystem provider (it exports no package).
    requires jdk.zipfs;

    exports org.panfuse.examples.hello;
    exports org.panfuse.examples.memtree;
    exports org.panfuse.examples.remote;
    exports org.panfuse.examples.zip;
}
