/**
 * The panfuse command: mount (one directory, or several from a config file),
 * and the mount jar's entry point. The command-line parser, the config file's
 * parser and the logging binding live here, not in the library.
 */
module org.panfuse.cli {
    requires org.panfuse.fs;
    requires org.panfuse.crypt;
    requires org.slf4j;
    requires info.picocli;
    requires org.tomlj;
    requires com.google.gson;
    requires jdk.unsupported;
    requires java.management;

    opens org.panfuse.cli to info.picocli;
}
