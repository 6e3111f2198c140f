package org.panfuse.crypt.format;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Names as gocryptfs stores them: the plaintext name padded to whole 16-byte
 * blocks (PKCS#7, always 1 to 16 bytes of padding), EME-encrypted with the
 * directory's DirIV as tweak, then unpadded base64url. An encrypted name longer
 * than the limit (255, or the key file's LongNameMax) is stored as
 * "gocryptfs.longname." + base64url(SHA-256(encrypted name)), with the full
 * encrypted name in a second entry of that name + ".name". Thread-safe: calls
 * take turns on one EME cipher (names are not the hot path).
 */
public final class NameCipher {
    /** The entry of each encrypted directory that holds its DirIV. */
    public static final String DIRIV_NAME = "gocryptfs.diriv";
    /** How a hashed long name's entry starts. */
    public static final String LONGNAME_PREFIX = "gocryptfs.longname.";
    /** What a long name's entry holding the full encrypted name adds to the hashed name. */
    public static final String LONGNAME_SUFFIX = ".name";
    /** The bytes of a DirIV. */
    public static final int DIRIV_LENGTH = 16;
    /** The longest plaintext name, and the default limit on encrypted names. */
    public static final int NAME_MAX = 255;
    /** The smallest LongNameMax gocryptfs -init accepts. */
    public static final int LONG_NAME_MAX_MIN = 62;
    /**
     * The most a .name file may hold when read (base64 of 256 bytes with
     * padding, gocryptfs's limit); a longer one is damage.
     */
    public static final int NAME_FILE_MAX = 344;

    private static final int BLOCK = Eme.BLOCK;

    private final Eme eme;
    private final int longNameMax;

    /** @param emeKey the 32-byte EME key; copied by the JCE, so the caller wipes it */
    NameCipher(byte[] emeKey, int longNameMax) {
        if (longNameMax < LONG_NAME_MAX_MIN || longNameMax > NAME_MAX) {
            throw new IllegalArgumentException("longNameMax " + longNameMax + " is outside " + LONG_NAME_MAX_MIN + ".."
                    + NAME_MAX);
        }
        this.eme = new Eme(emeKey);
        this.longNameMax = longNameMax;
    }

    /** {@return the length above which encrypted names are stored under their hash} */
    public int longNameMax() {
        return longNameMax;
    }

    /**
     * The full encrypted name of {@code plainName} in the directory whose DirIV is
     * {@code dirIv}; it may be longer than a directory entry can be (see {@link #diskName}).
     *
     * @param plainName the name's bytes
     * @param dirIv     the directory's 16-byte DirIV
     * @return the encrypted name, unpadded base64url
     * @throws IllegalArgumentException if {@code plainName} is not a valid name:
     *         empty, over 255 bytes, "." or "..", or containing '/' or NUL; or if
     *         {@code dirIv} is not 16 bytes
     */
    public String encrypt(byte[] plainName, byte[] dirIv) {
        String invalid = invalidity(plainName, plainName.length);
        if (invalid != null) {
            throw new IllegalArgumentException("cannot encrypt a name that is " + invalid);
        }
        checkDirIv(dirIv);
        int padding = BLOCK - plainName.length % BLOCK;
        byte[] padded = Arrays.copyOf(plainName, plainName.length + padding);
        Arrays.fill(padded, plainName.length, padded.length, (byte) padding);
        byte[] encrypted;
        synchronized (eme) {
            encrypted = eme.encrypt(dirIv, padded);
        }
        return Raw64.encode(encrypted);
    }

    /**
     * {@return whether {@code encryptedName} is stored under its hash}
     *
     * @param encryptedName a full encrypted name
     */
    public boolean isLong(String encryptedName) {
        return encryptedName.length() > longNameMax;
    }

    /**
     * {@return the directory entry of {@code encryptedName}: itself, or its
     * hashed long name}
     *
     * @param encryptedName a full encrypted name, as {@link #encrypt} makes it
     */
    public String diskName(String encryptedName) {
        if (!isLong(encryptedName)) {
            return encryptedName;
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is not available", missing);
        }
        return LONGNAME_PREFIX + Raw64.encode(sha256.digest(encryptedName.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The plaintext name of the full encrypted name {@code encryptedName} (for a
     * long name: the content of its .name entry) in the directory whose DirIV is
     * {@code dirIv}.
     *
     * @param encryptedName the full encrypted name
     * @param dirIv         the directory's 16-byte DirIV
     * @return the plaintext name's bytes
     * @throws IllegalArgumentException if {@code dirIv} is not 16 bytes
     * @throws AuthenticationException if it is not canonical unpadded base64url,
     *         not whole 16-byte blocks, badly padded after decryption, or decrypts
     *         to an invalid name ('/', NUL, ".", ".."); EME itself cannot detect
     *         tampering, so the padding and the name are the only checks
     */
    public byte[] decrypt(String encryptedName, byte[] dirIv) throws AuthenticationException {
        checkDirIv(dirIv);
        byte[] bytes = Raw64.decode(encryptedName);
        if (bytes == null) {
            throw new AuthenticationException("name is not unpadded base64url");
        }
        if (bytes.length == 0 || bytes.length % BLOCK != 0 || bytes.length > Eme.MAX_BLOCKS * BLOCK) {
            throw new AuthenticationException("encrypted name has " + bytes.length + " bytes, not 16..2048 in blocks of 16");
        }
        byte[] padded;
        synchronized (eme) {
            padded = eme.decrypt(dirIv, bytes);
        }
        int padding = padded[padded.length - 1] & 0xff;
        if (padding == 0 || padding > BLOCK || padding >= padded.length) {
            throw new AuthenticationException("decrypted name has bad padding");
        }
        for (int i = padded.length - padding; i < padded.length; i++) {
            if (padded[i] != (byte) padding) {
                throw new AuthenticationException("decrypted name has bad padding");
            }
        }
        int length = padded.length - padding;
        String invalid = invalidity(padded, length);
        if (invalid != null) {
            throw new AuthenticationException("decrypted name is " + invalid);
        }
        return Arrays.copyOf(padded, length);
    }

    /**
     * {@return whether {@code diskName} is a long name's .name entry (gocryptfs.longname.*.name)}
     *
     * @param diskName a directory entry of an encrypted tree
     */
    public static boolean isNameFile(String diskName) {
        return diskName.startsWith(LONGNAME_PREFIX) && diskName.endsWith(LONGNAME_SUFFIX);
    }

    /**
     * {@return whether {@code diskName} is a long name's own entry, the file itself (gocryptfs.longname.*)}
     *
     * @param diskName a directory entry of an encrypted tree
     */
    public static boolean isLongContent(String diskName) {
        return diskName.startsWith(LONGNAME_PREFIX) && !diskName.endsWith(LONGNAME_SUFFIX);
    }

    /** Why the first {@code length} bytes of {@code name} are no valid name, or null if they are one. */
    private static String invalidity(byte[] name, int length) {
        if (length == 0) {
            return "empty";
        }
        if (length > NAME_MAX) {
            return "longer than 255 bytes";
        }
        if (name[0] == '.' && (length == 1 || length == 2 && name[1] == '.')) {
            return "\".\" or \"..\"";
        }
        for (int i = 0; i < length; i++) {
            if (name[i] == '/' || name[i] == 0) {
                return "containing '/' or NUL";
            }
        }
        return null;
    }

    private static void checkDirIv(byte[] dirIv) {
        if (dirIv.length != DIRIV_LENGTH) {
            throw new IllegalArgumentException("a DirIV is 16 bytes, not " + dirIv.length);
        }
    }
}
