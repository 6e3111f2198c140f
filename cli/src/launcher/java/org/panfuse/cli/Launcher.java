package org.panfuse.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that an old JVM can still
 * run it and say in one line that it is too old, instead of failing with
 * UnsupportedClassVersionError on the real main class.
 */
public final class Launcher {
    private static final int REQUIRED = 22;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        String spec = System.getProperty("java.specification.version", "0");
        int feature = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
        if (feature < REQUIRED) {
            System.err.println("panfuse: needs Java " + REQUIRED + " or newer, but this is Java " + spec + " ("
                    + System.getProperty("java.home") + "); run it with a newer java, e.g. "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar panfuse.jar");
            System.exit(1);
        }
        try {
            Class.forName("org.panfuse.cli.PanfuseCommand").getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
