package org.panfuse.fs.lowlevel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Names as they may be written into a log: quoted, with every byte that is
 * not printable text escaped ({@code \n}, {@code \xNN}), so that a file name
 * can never forge a log line or smuggle terminal escapes. Valid UTF-8 of
 * printable characters stays readable.
 */
final class DebugText {
    private static final int MAX = 4096;

    private DebugText() {
    }

    /** The NUL-terminated C string at {@code cString}, quoted and escaped. */
    static String quote(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            return "NULL";
        }
        MemorySegment s = cString.byteSize() == 0 ? cString.reinterpret(MAX + 1) : cString;
        long length = 0;
        while (length < s.byteSize() && length <= MAX && s.get(ValueLayout.JAVA_BYTE, length) != 0) {
            length++;
        }
        return quote(s.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
    }

    static String quote(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (int i = 0; i < bytes.length; ) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                if (b == '"' || b == '\\') {
                    sb.append('\\');
                }
                sb.append((char) b);
                i++;
                continue;
            }
            int length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
            int codePoint = length == 0 ? -1 : decode(bytes, i, length);
            int kind = codePoint < 0 ? -1 : Character.getType(codePoint);
            if (codePoint >= 0 && !Character.isISOControl(codePoint) && Character.isDefined(codePoint)
                    && kind != Character.FORMAT && kind != Character.LINE_SEPARATOR
                    && kind != Character.PARAGRAPH_SEPARATOR) {
                sb.appendCodePoint(codePoint);
                i += length;
                continue;
            }
            switch (b) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\x%02x", b));
            }
            i++;
        }
        return sb.append('"').toString();
    }

    /** The code point of a well-formed, shortest-form UTF-8 sequence of {@code length} bytes, or -1. */
    private static int decode(byte[] bytes, int at, int length) {
        if (at + length > bytes.length) {
            return -1;
        }
        int cp = bytes[at] & (0x7f >> length);
        for (int k = 1; k < length; k++) {
            int c = bytes[at + k] & 0xff;
            if ((c & 0xc0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (c & 0x3f);
        }
        int min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return -1;
        }
        return cp;
    }
}
