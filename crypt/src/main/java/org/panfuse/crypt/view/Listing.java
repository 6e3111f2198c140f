package org.panfuse.crypt.view;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.panfuse.fs.lowlevel.ReplyDirectory;

/**
 * A directory of a view as listed at opendir: names as C strings in one
 * off-heap block, types and inode numbers. Readdir offsets are indexes into
 * it, so a listing continues exactly where it stopped, and rewinding works.
 */
final class Listing implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final List<MemorySegment> names = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<Long> inos = new ArrayList<>();

    void add(byte[] name, int type, long ino) {
        names.add(CStrings.of(arena, name));
        types.add(type);
        inos.add(ino);
    }

    void add(String asciiName, int type, long ino) {
        add(asciiName.getBytes(StandardCharsets.US_ASCII), type, ino);
    }

    int size() {
        return names.size();
    }

    /** Fills one readdir reply from entry {@code offset} on. */
    synchronized void reply(long offset, ReplyDirectory reply) {
        for (int i = (int) Math.max(0, offset); i < names.size(); i++) {
            if (!reply.add(names.get(i), inos.get(i), types.get(i), i + 1)) {
                break;
            }
        }
        reply.done();
    }

    @Override
    public void close() {
        arena.close();
    }
}
