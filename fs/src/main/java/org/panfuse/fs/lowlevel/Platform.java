package org.panfuse.fs.lowlevel;

import java.lang.foreign.Linker;

/**
 * The platform the generated bindings were made for: jextract wrote the
 * struct layouts, constants and symbol names of x86_64 Linux with glibc into
 * them. On another architecture or another libc (musl, say) the same code
 * would read and write the wrong offsets, so panfuse refuses in one line
 * before anything touches the bindings.
 */
final class Platform {
    /** What the bindings were generated for, as the message names it. */
    static final String SUPPORTED = "x86_64 Linux with glibc";

    private Platform() {
    }

    /**
     * Throws unless this JVM runs on the platform of the bindings.
     *
     * @throws LibFuseUnavailableException with one line naming this platform otherwise
     */
    static void require() {
        String refusal = refusal(System.getProperty("os.name"), System.getProperty("os.arch"), hasGlibc());
        if (refusal != null) {
            throw new LibFuseUnavailableException(refusal);
        }
    }

    /**
     * The decision, on its inputs alone: {@code null} where the bindings fit,
     * else the one-line message.
     *
     * @param osName the JVM's {@code os.name}
     * @param osArch the JVM's {@code os.arch}: {@code amd64} on Linux
     *     ({@code x86_64} on some other systems) for the one architecture supported
     * @param glibc whether the process's C library is glibc
     */
    static String refusal(String osName, String osArch, boolean glibc) {
        boolean linux = "Linux".equals(osName);
        boolean x86_64 = "amd64".equals(osArch) || "x86_64".equals(osArch);
        if (linux && x86_64 && glibc) {
            return null;
        }
        return "panfuse's bindings are for " + SUPPORTED + "; this is " + (osName == null ? "an unknown system" : osName)
                + " on " + (osArch == null ? "an unknown architecture" : osArch) + (glibc ? "" : " without glibc");
    }

    /**
     * Whether the C library the JVM runs on is glibc: only glibc defines
     * {@code gnu_get_libc_version} (musl does not; only a glibc compatibility
     * shim such as gcompat, preloaded into the JVM, could mislead this).
     */
    static boolean hasGlibc() {
        try {
            return Linker.nativeLinker().defaultLookup().find("gnu_get_libc_version").isPresent();
        } catch (UnsupportedOperationException e) {
            // No native linker for this platform at all: certainly not the bindings' platform.
            return false;
        }
    }
}
