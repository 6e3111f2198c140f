package org.panfuse.fs.lowlevel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Names in --debug lines: nothing a file name holds can start a new line or reach the terminal raw. */
class DebugTextTest {
    private static String quote(String s) {
        return DebugText.quote(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesAreQuotedWithEverythingThatIsNotPrintableEscaped() {
        assertEquals("\"plain name.txt\"", quote("plain name.txt"));
        assertEquals("\"a\\\\b \\\"c\\\"\"", quote("a\\b \"c\""));
        assertEquals("\"line\\nbreak\\r\\t\\x1b[31m\\x7f\"", quote("line\nbreak\r\t\u001b[31m\u007f"));
        assertEquals("\"caf\u00e9 \u65e5\u672c \ud83d\ude00\"", quote("caf\u00e9 \u65e5\u672c \ud83d\ude00"));
        // Unicode line and paragraph separators and invisible format characters are escaped too.
        assertEquals("\"a\\xe2\\x80\\xa8b\\xe2\\x80\\xa9c\\xe2\\x80\\x8bd\"", quote("a\u2028b\u2029c\u200bd"));
        // Bytes that are not UTF-8 stay bytes.
        assertEquals("\"\\xff\\xc3(\"", DebugText.quote(new byte[] {(byte) 0xff, (byte) 0xc3, '('}));
    }
}
