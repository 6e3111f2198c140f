package org.panfuse.crypt.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Names as the filesystem has them (bytes, any encoding) made C strings, for the *at calls and listings. */
final class CStrings {
    private CStrings() {
    }

    static MemorySegment of(Arena arena, byte[] name) {
        MemorySegment s = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, 0, name.length);
        return s;
    }
}
