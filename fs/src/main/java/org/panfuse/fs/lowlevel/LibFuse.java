package org.panfuse.fs.lowlevel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import org.panfuse.bindings.panfuse_h;

/**
 * Finds libfuse before anything touches the generated bindings, so that a
 * machine without it gets one sentence naming the package to install instead
 * of an ExceptionInInitializerError from deep inside generated code.
 */
public final class LibFuse {
    /** The runtime library's soname: present with only the runtime package installed. */
    public static final String SONAME = "libfuse3.so.3";

    private static volatile String version;

    private LibFuse() {
    }

    /**
     * Loads libfuse3 (once) and returns its version. Thread-safe; later
     * calls return at once.
     *
     * @return libfuse's version, e.g. "3.14.0"
     * @throws LibFuseUnavailableException if libfuse3 cannot be loaded, or this is not x86_64 Linux with glibc
     */
    public static String require() {
        String v = version;
        if (v == null) {
            synchronized (LibFuse.class) {
                v = version;
                if (v == null) {
                    version = v = load();
                }
            }
        }
        return v;
    }

    private static String load() {
        Platform.require();
        try {
            // Probe with a lookup of our own: the generated class would fail in its
            // static initializer, which would poison it for the rest of the process.
            SymbolLookup.libraryLookup(SONAME, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new LibFuseUnavailableException("libfuse 3 is not installed (" + SONAME
                    + " could not be loaded: " + e.getMessage()
                    + "); install it with: apt-get install fuse3");
        }
        MemorySegment v = panfuse_h.fuse_pkgversion();
        return v.getString(0);
    }
}
