package org.panfuse.crypt.format;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A gocryptfs master key: 32 bytes from which every working key is derived
 * with HKDF. Kept off the Java heap, where the garbage collector would leave
 * copies behind, and zero-filled on {@link #close}. Heap copies exist only for
 * the moment a derivation takes and are wiped after it. Thread-safe.
 */
public final class MasterKey implements AutoCloseable {
    /** The bytes of a master key. */
    public static final int LENGTH = 32;
    private static final int GROUP = 8;
    private static final HexFormat HEX = HexFormat.of();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(LENGTH);
    private boolean closed;

    private MasterKey(byte[] bytes) {
        MemorySegment.copy(bytes, 0, key, ValueLayout.JAVA_BYTE, 0, LENGTH);
    }

    /** {@return a fresh key from the system's SecureRandom} */
    public static MasterKey random() {
        byte[] bytes = new byte[LENGTH];
        try {
            new SecureRandom().nextBytes(bytes);
            return new MasterKey(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * {@return a key holding a copy of {@code key}} The caller wipes its array.
     *
     * @param key the key's 32 bytes
     * @throws IllegalArgumentException if {@code key} is not 32 bytes
     */
    public static MasterKey copyOf(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a master key has " + LENGTH + " bytes, not " + key.length);
        }
        return new MasterKey(key);
    }

    /**
     * Parses the key as gocryptfs prints it: 64 hex digits, in any case, which
     * may be split by '-' and white space ("0b8e6a3c-...", also across the line
     * break of gocryptfs -init's display, or one unbroken run as
     * gocryptfs-xray -dumpmasterkey prints it). The message never repeats the text.
     *
     * @param paperForm the key as written down
     * @return the key
     * @throws FormatException if it holds anything else, or not 64 hex digits
     */
    public static MasterKey parse(String paperForm) {
        char[] digits = new char[paperForm.length()];
        int count = 0;
        for (int i = 0; i < paperForm.length(); i++) {
            char c = paperForm.charAt(i);
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            if (!HexFormat.isHexDigit(c)) {
                Arrays.fill(digits, '\0');
                throw new FormatException("a master key has only hex digits, '-' and spaces; position " + (i + 1)
                        + " has something else");
            }
            digits[count++] = c;
        }
        if (count != 2 * LENGTH) {
            Arrays.fill(digits, '\0');
            throw new FormatException("a master key has " + 2 * LENGTH + " hex digits (" + LENGTH + " bytes), this one "
                    + count);
        }
        byte[] bytes = new byte[LENGTH];
        try {
            for (int i = 0; i < LENGTH; i++) {
                bytes[i] = (byte) (HexFormat.fromHexDigit(digits[2 * i]) << 4 | HexFormat.fromHexDigit(digits[2 * i + 1]));
            }
            return new MasterKey(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(digits, '\0');
        }
    }

    /**
     * {@return the key for paper: 64 lowercase hex digits in 8 groups of 8 joined by '-'}
     *
     * @throws IllegalStateException if the key is closed
     */
    public String paperForm() {
        byte[] bytes = copyBytes();
        try {
            String hex = HEX.formatHex(bytes);
            StringBuilder out = new StringBuilder(hex.length() + LENGTH / 4);
            for (int i = 0; i < hex.length(); i += GROUP) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(hex, i, i + GROUP);
            }
            return out.toString();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * {@return the content and symlink cipher under HKDF(key, "AES-SIV file
     * content encryption", 64)} A new one each call, which the caller closes;
     * it stays usable after this key is closed.
     *
     * @throws IllegalStateException if the key is closed
     */
    public ContentCipher contentCipher() {
        byte[] bytes = copyBytes();
        byte[] sivKey = Hkdf.derive(bytes, Hkdf.SIV_CONTENT, AesSiv.KEY_LENGTH);
        Arrays.fill(bytes, (byte) 0);
        try {
            return new ContentCipher(sivKey);
        } finally {
            Arrays.fill(sivKey, (byte) 0);
        }
    }

    /**
     * The name cipher under HKDF(key, "EME filename encryption", 32), hashing
     * encrypted names longer than {@code longNameMax} (255 unless the key file
     * says otherwise, see {@link KeyFile#longNameMax()}). A new one each call;
     * it stays usable after this key is closed.
     *
     * @param longNameMax encrypted names longer than this are hashed, 62..255
     * @return the name cipher
     * @throws IllegalArgumentException if {@code longNameMax} is out of range
     * @throws IllegalStateException    if the key is closed
     */
    public NameCipher nameCipher(int longNameMax) {
        byte[] bytes = copyBytes();
        byte[] emeKey = Hkdf.derive(bytes, Hkdf.EME_NAMES, 32);
        Arrays.fill(bytes, (byte) 0);
        try {
            return new NameCipher(emeKey, longNameMax);
        } finally {
            Arrays.fill(emeKey, (byte) 0);
        }
    }

    /** The key on the heap, for a derivation or wrapping; the caller wipes it. */
    synchronized byte[] copyBytes() {
        if (closed) {
            throw new IllegalStateException("master key already closed");
        }
        return key.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Zero-fills the key and frees its memory; later uses throw IllegalStateException. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.fill((byte) 0);
        arena.close();
    }
}
