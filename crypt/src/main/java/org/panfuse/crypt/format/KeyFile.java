package org.panfuse.crypt.format;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * gocryptfs.conf, the key file: the master key wrapped under the user's
 * password (scrypt, then HKDF, then AES-256-GCM) and the feature flags that
 * say how the tree is encrypted. panfuse takes exactly the flags of gocryptfs
 * reverse mode (AES-SIV contents, EME names with DirIVs, long names, Raw64,
 * HKDF), with LongNameMax allowed; anything else is refused in one line.
 * Reverse mode keeps the file next to the plaintext as
 * {@value #REVERSE_NAME} and shows it as {@value #NAME}.
 */
public final class KeyFile {
    /** The key file's name in an encrypted tree, as a reverse view shows it at its root. */
    public static final String NAME = "gocryptfs.conf";
    /** The key file's name next to the plaintext, where gocryptfs -init -reverse writes it. */
    public static final String REVERSE_NAME = ".gocryptfs.reverse.conf";
    /** gocryptfs's default scrypt cost: 2^16. */
    public static final int DEFAULT_LOG_N = 16;
    /** The lowest scrypt cost accepted, as gocryptfs: 2^10. */
    public static final int MIN_LOG_N = ScryptParams.MIN_LOG_N;
    /** The only on-disk format version, the same as the content header's. */
    public static final int VERSION = 2;

    /** The flags gocryptfs -init -reverse writes, in its order; each one is required here. */
    static final List<String> REVERSE_FLAGS = List.of("HKDF", "GCMIV128", "DirIV", "EMENames", "LongNames", "Raw64", "AESSIV");
    static final String LONG_NAME_MAX_FLAG = "LongNameMax";
    /** Flags gocryptfs knows that describe trees panfuse cannot read. */
    private static final Set<String> FOREIGN_FLAGS = Set.of("PlaintextNames", "FIDO2", "XChaCha20Poly1305");
    private static final String ONLY_REVERSE = "; panfuse reads only gocryptfs reverse-mode (AES-SIV) trees";

    private final String creator;
    private final byte[] encryptedKey;
    private final ScryptParams scrypt;
    private final int version;
    private final List<String> featureFlags;
    /** The LongNameMax field as stored: 0 when absent. */
    private final int longNameMax;

    KeyFile(String creator, byte[] encryptedKey, ScryptParams scrypt, int version, List<String> featureFlags,
            int longNameMax) {
        this.creator = creator;
        this.encryptedKey = encryptedKey;
        this.scrypt = scrypt;
        this.version = version;
        this.featureFlags = List.copyOf(featureFlags);
        this.longNameMax = longNameMax;
    }

    /**
     * Reads and checks a key file's bytes.
     *
     * @param json the file's bytes
     * @return the key file, checked (the password is not tried: see {@link #unlock})
     * @throws FormatException in one line: not JSON, a field of the wrong type,
     *         another version, scrypt parameters too weak, an unknown flag, a
     *         flag of a tree panfuse cannot read or a missing one, a bad
     *         LongNameMax, an EncryptedKey of the wrong length
     */
    public static KeyFile parse(byte[] json) {
        KeyFile file = KeyFileJson.read(json);
        file.validate();
        return file;
    }

    /**
     * A key file for a new reverse-mode tree: {@code key} wrapped under
     * {@code password}, scrypt cost 2^logN, with a fresh random salt. Takes
     * scrypt's time and memory.
     *
     * @param key      the master key; only read
     * @param password the password's bytes; only read (the caller wipes them)
     * @param logN     the scrypt cost, {@value #MIN_LOG_N}..30
     * @param creator  the Creator field, e.g. "panfuse 0.1.0"
     * @return the key file, to write with {@link #toJson()}
     * @throws FormatException       if {@code logN} is out of range, or this JVM lacks the memory scrypt needs
     * @throws IllegalStateException if {@code key} is closed
     */
    public static KeyFile create(MasterKey key, byte[] password, int logN, String creator) {
        return create(key, password, logN, creator, NameCipher.NAME_MAX);
    }

    /**
     * As {@link #create(MasterKey, byte[], int, String)}, hashing encrypted names
     * longer than {@code longNameMax} (62..255; 255, the default, is not stored, as
     * gocryptfs -init -longnamemax does it).
     *
     * @param key         the master key; only read
     * @param password    the password's bytes; only read (the caller wipes them)
     * @param logN        the scrypt cost, {@value #MIN_LOG_N}..30
     * @param creator     the Creator field, e.g. "panfuse 0.1.0"
     * @param longNameMax encrypted names longer than this are hashed, 62..255
     * @return the key file, to write with {@link #toJson()}
     * @throws FormatException       if {@code logN} or {@code longNameMax} is out of range, or this JVM
     *                               lacks the memory scrypt needs
     * @throws IllegalStateException if {@code key} is closed
     */
    public static KeyFile create(MasterKey key, byte[] password, int logN, String creator, int longNameMax) {
        if (logN < MIN_LOG_N || logN > 30) {
            throw new FormatException("scrypt cost logN " + logN + " is outside " + MIN_LOG_N + "..30");
        }
        if (longNameMax < NameCipher.LONG_NAME_MAX_MIN || longNameMax > NameCipher.NAME_MAX) {
            throw new FormatException("LongNameMax " + longNameMax + " is outside " + NameCipher.LONG_NAME_MAX_MIN + ".."
                    + NameCipher.NAME_MAX);
        }
        SecureRandom random = new SecureRandom();
        ScryptParams scrypt = ScryptParams.fresh(logN, random);
        List<String> flags = REVERSE_FLAGS;
        int stored = 0;
        if (longNameMax != NameCipher.NAME_MAX) {
            // gocryptfs puts the flag after DirIV (its Create sets it there).
            flags = new ArrayList<>(REVERSE_FLAGS);
            flags.add(flags.indexOf("DirIV") + 1, LONG_NAME_MAX_FLAG);
            stored = longNameMax;
        }
        byte[] hash = scrypt.hash(password);
        byte[] keyBytes = key.copyBytes();
        try {
            byte[] wrapped = KeyWrap.wrap(hash, keyBytes, random);
            return new KeyFile(creator, wrapped, scrypt, VERSION, flags, stored);
        } finally {
            Arrays.fill(hash, (byte) 0);
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    /**
     * The master key, unwrapped with {@code password} (takes scrypt's time and memory).
     *
     * @param password the password's bytes; only read (the caller wipes them)
     * @return the master key, a new one the caller closes
     * @throws FormatException if the scrypt parameters are more than panfuse runs (P above 16), or need
     *         more memory than this JVM has
     * @throws WrongPasswordException if the password is wrong (or EncryptedKey damaged)
     */
    public MasterKey unlock(byte[] password) {
        byte[] hash = scrypt.hash(password);
        byte[] key = null;
        try {
            key = KeyWrap.unwrap(hash, encryptedKey);
            return MasterKey.copyOf(key);
        } finally {
            Arrays.fill(hash, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** {@return the file's bytes exactly as gocryptfs writes them (tab-indented JSON and a newline)} */
    public byte[] toJson() {
        return KeyFileJson.write(this);
    }

    /** {@return the length above which encrypted names are hashed: 255 unless the file sets LongNameMax} */
    public int longNameMax() {
        return longNameMax == 0 ? NameCipher.NAME_MAX : longNameMax;
    }

    /** {@return the scrypt cost: the password hash takes N = 2^logN} */
    public int logN() {
        return scrypt.logN();
    }

    /** {@return the Creator field: the program and version that wrote the file} */
    public String creator() {
        return creator;
    }

    /** {@return the feature flags, in the file's order (unmodifiable)} */
    public List<String> featureFlags() {
        return featureFlags;
    }

    int version() {
        return version;
    }

    byte[] encryptedKey() {
        return encryptedKey.clone();
    }

    ScryptParams scrypt() {
        return scrypt;
    }

    int longNameMaxField() {
        return longNameMax;
    }

    private void validate() {
        if (version != VERSION) {
            throw new FormatException(version == 0 ? "key file has no Version"
                    : "key file has version " + version + "; gocryptfs's format is version " + VERSION);
        }
        try {
            scrypt.validate();
        } catch (FormatException weak) {
            throw new FormatException("key file: " + weak.getMessage());
        }
        for (String flag : featureFlags) {
            if (!REVERSE_FLAGS.contains(flag) && !FOREIGN_FLAGS.contains(flag) && !flag.equals(LONG_NAME_MAX_FLAG)) {
                throw new FormatException("key file has unknown feature flag " + KeyFileJson.goString(flag));
            }
        }
        for (String flag : featureFlags) {
            if (FOREIGN_FLAGS.contains(flag)) {
                throw new FormatException("key file has feature flag " + flag + ONLY_REVERSE);
            }
        }
        for (String flag : REVERSE_FLAGS) {
            if (!featureFlags.contains(flag)) {
                throw new FormatException("key file lacks feature flag " + flag + ONLY_REVERSE);
            }
        }
        boolean flagged = featureFlags.contains(LONG_NAME_MAX_FLAG);
        if (flagged != (longNameMax != 0)) {
            throw new FormatException(flagged ? "key file has feature flag LongNameMax but no LongNameMax value"
                    : "key file has LongNameMax " + longNameMax + " but not the feature flag LongNameMax");
        }
        if (flagged && longNameMax < NameCipher.LONG_NAME_MAX_MIN) {
            throw new FormatException("key file has LongNameMax " + longNameMax + "; gocryptfs allows "
                    + NameCipher.LONG_NAME_MAX_MIN + ".." + NameCipher.NAME_MAX);
        }
        if (encryptedKey.length != KeyWrap.WRAPPED_LENGTH) {
            throw new FormatException("key file: EncryptedKey has " + encryptedKey.length + " bytes, not "
                    + KeyWrap.WRAPPED_LENGTH);
        }
    }
}
