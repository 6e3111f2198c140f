package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads the names the kernel sends (the {@code MemorySegment name} of
 * {@code lookup}, {@code mkdir}, {@code rename}, ..., a symlink's target) as
 * Java values. Those segments are bare addresses of NUL-terminated strings,
 * valid only during the call; reading them needs a restricted
 * {@code reinterpret}, which this class does on panfuse's own native access,
 * so an embedder's module needs none for it.
 *
 * <p>Linux names are bytes, not text: {@link #string} decodes them as UTF-8
 * and replaces what is not UTF-8 with U+FFFD, so two different names may read
 * as the same String. A filesystem whose names come from outside (a disk, a
 * network) keeps them exact with {@link #bytes}.
 *
 * <p>Each method takes the name as it came: a segment of any size starting at
 * a NUL-terminated string (a zero-length segment is read up to PATH_MAX bytes),
 * read during the call only, from any thread. Each throws
 * {@link IllegalArgumentException} for the NULL address.
 */
public final class Names {
    /** PATH_MAX, with its NUL: the longest string the kernel sends (a symlink's target). */
    private static final long LONGEST = 4096;

    private Names() {
    }

    private static MemorySegment bounded(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("a name at address 0");
        }
        return cString.byteSize() == 0 ? cString.reinterpret(LONGEST) : cString;
    }

    /**
     * {@return the name as a String, decoded as UTF-8 (what is not UTF-8
     * replaced with U+FFFD)}
     *
     * @param cString the NUL-terminated name
     */
    public static String string(MemorySegment cString) {
        return bounded(cString).getString(0, StandardCharsets.UTF_8);
    }

    /**
     * {@return a copy of the name's bytes, without the terminating NUL}
     *
     * @param cString the NUL-terminated name
     * @throws IllegalArgumentException if there is no NUL within the segment
     */
    public static byte[] bytes(MemorySegment cString) {
        MemorySegment s = bounded(cString);
        long n = length(s);
        return s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * {@return the name's length in bytes, without the terminating NUL}
     *
     * @param cString the NUL-terminated name
     * @throws IllegalArgumentException if there is no NUL within the segment
     */
    public static int length(MemorySegment cString) {
        MemorySegment s = bounded(cString);
        long limit = s.byteSize();
        for (long i = 0; i < limit; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return (int) i;
            }
        }
        throw new IllegalArgumentException("no NUL within " + limit + " bytes: not a name");
    }

    /**
     * {@return true if the name is exactly {@code expected}, compared as
     * UTF-8 bytes (the name is not decoded)}
     *
     * @param cString  the NUL-terminated name
     * @param expected the name to compare with
     */
    public static boolean is(MemorySegment cString, String expected) {
        MemorySegment s = bounded(cString);
        byte[] e = expected.getBytes(StandardCharsets.UTF_8);
        if (s.byteSize() < e.length + 1 || s.get(ValueLayout.JAVA_BYTE, e.length) != 0) {
            return false;
        }
        for (int i = 0; i < e.length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != e[i]) {
                return false;
            }
        }
        return true;
    }
}
