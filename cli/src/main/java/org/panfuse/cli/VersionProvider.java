package org.panfuse.cli;

import org.panfuse.fs.lowlevel.LibFuse;
import picocli.CommandLine;

/** Prints panfuse's, Java's and libfuse's versions. */
final class VersionProvider implements CommandLine.IVersionProvider {
    /** panfuse's version, as the mount jar's manifest gives it. */
    static String version() {
        String own = PanfuseCommand.class.getPackage().getImplementationVersion();
        return own == null ? "(development build)" : own;
    }

    @Override
    public String[] getVersion() {
        String own = PanfuseCommand.class.getPackage().getImplementationVersion();
        String libfuse;
        try {
            libfuse = LibFuse.require();
        } catch (RuntimeException e) {
            libfuse = "not installed";
        }
        return new String[] {
            "panfuse " + (own == null ? "(development build)" : own),
            "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")",
            "libfuse " + libfuse
        };
    }
}
