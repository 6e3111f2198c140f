package org.panfuse.crypt.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PathIvTest {
    @Test
    void isTheFirstHalfOfSha256OfPathNulPurpose() throws Exception {
        byte[] full = MessageDigest.getInstance("SHA-256").digest("abc/def\0FILEID".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(Arrays.copyOf(full, 16), PathIv.derive("abc/def", PathIv.FILEID));
        assertArrayEquals(Arrays.copyOf(full, 16), PathIv.derive("abc/def".getBytes(StandardCharsets.US_ASCII), "FILEID"));
        byte[] root = MessageDigest.getInstance("SHA-256").digest("\0DIRIV".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(Arrays.copyOf(root, 16), PathIv.derive("", PathIv.DIRIV));
        assertNotEquals(HexFormat.of().formatHex(PathIv.derive("a", PathIv.SYMLINKIV)),
                HexFormat.of().formatHex(PathIv.derive("a", PathIv.BLOCK0IV)));
    }

    @Test
    void blockIvAddsToTheLowHalfOnly() {
        HexFormat hex = HexFormat.of();
        byte[] out = new byte[16];
        byte[] base = hex.parseHex("00112233445566770000000000000005");
        PathIv.blockIv(base, 0, out);
        assertArrayEquals(base, out);
        PathIv.blockIv(base, 3, out);
        assertEquals("00112233445566770000000000000008", hex.formatHex(out));
        // The low half wraps around without carrying into the high half, as Go's uint64 does.
        PathIv.blockIv(hex.parseHex("0011223344556677ffffffffffffffff"), 2, out);
        assertEquals("00112233445566770000000000000001", hex.formatHex(out));
        PathIv.blockIv(hex.parseHex("00112233445566770000000000000000"), -1L, out);
        assertEquals("0011223344556677ffffffffffffffff", hex.formatHex(out));
    }
}
