package org.panfuse.crypt.format;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The key file's ScryptObject: how a password becomes the key that unwraps the
 * master key. The limits below are gocryptfs's, so a key file it would refuse as
 * too weak is refused here too, plus one of our own: BouncyCastle keeps scrypt's
 * 128*R*N bytes in one Java int array, so larger parameters cannot be computed.
 */
final class ScryptParams {
    static final int MIN_LOG_N = 10;
    static final int MIN_R = 8;
    static final int MIN_P = 1;
    static final int MIN_SALT_LENGTH = 32;
    /** gocryptfs checks KeyLen >= 32 but then uses the hash as an AES-256 key, which must be exactly 32. */
    static final int KEY_LENGTH = 32;
    /** gocryptfs writes R 8 and P 1 always. */
    static final int DEFAULT_R = 8;
    static final int DEFAULT_P = 1;

    final byte[] salt;
    final long n;
    final long r;
    final long p;
    final long keyLength;

    ScryptParams(byte[] salt, long n, long r, long p, long keyLength) {
        this.salt = salt;
        this.n = n;
        this.r = r;
        this.p = p;
        this.keyLength = keyLength;
    }

    /** gocryptfs's defaults with cost 2^logN and a fresh random 32-byte salt. */
    static ScryptParams fresh(int logN, SecureRandom random) {
        byte[] salt = new byte[MIN_SALT_LENGTH];
        random.nextBytes(salt);
        ScryptParams params = new ScryptParams(salt, 1L << logN, DEFAULT_R, DEFAULT_P, KEY_LENGTH);
        params.validate();
        return params;
    }

    /** Throws FormatException naming the first parameter that is too weak or unusable. */
    void validate() {
        if (n < (1L << MIN_LOG_N)) {
            throw new FormatException("scrypt N=" + n + " is too weak (gocryptfs requires N >= 2^" + MIN_LOG_N + ")");
        }
        if (Long.bitCount(n) != 1) {
            throw new FormatException("scrypt N=" + n + " is not a power of two");
        }
        if (r < MIN_R) {
            throw new FormatException("scrypt R=" + r + " is too weak (gocryptfs requires R >= " + MIN_R + ")");
        }
        if (p < MIN_P) {
            throw new FormatException("scrypt P=" + p + " is too weak (gocryptfs requires P >= " + MIN_P + ")");
        }
        if (salt.length < MIN_SALT_LENGTH) {
            throw new FormatException("scrypt salt of " + salt.length + " bytes is too short (gocryptfs requires >= "
                    + MIN_SALT_LENGTH + ")");
        }
        if (keyLength < KEY_LENGTH) {
            throw new FormatException("scrypt KeyLen=" + keyLength + " is too weak (gocryptfs requires >= " + KEY_LENGTH + ")");
        }
        if (keyLength != KEY_LENGTH) {
            throw new FormatException("scrypt KeyLen=" + keyLength + " is unusable (gocryptfs uses it as a 32-byte key)");
        }
        // BouncyCastle's working array holds 32*R*N ints; beyond Java's array limit it cannot run at all.
        if (r > Integer.MAX_VALUE || p > Integer.MAX_VALUE || n > Integer.MAX_VALUE
                || 32 * r > (Integer.MAX_VALUE - 8) / n) {
            throw new FormatException("scrypt N=" + n + " R=" + r + " needs more memory than panfuse can use ("
                    + "128*R*N bytes must stay below 8 GiB)");
        }
    }

    int logN() {
        return Long.numberOfTrailingZeros(n);
    }

    /**
     * The most parallel passes accepted: gocryptfs always writes P=1, and a
     * key file with a huge P (from a backup's untrusted storage) would keep
     * the unlock busy for hours.
     */
    static final int MAX_P = 16;

    /** The scrypt hash of {@code password}; the caller wipes it. */
    byte[] hash(byte[] password) {
        validate();
        if (p > MAX_P) {
            throw new FormatException("scrypt P=" + p + " is more than panfuse runs (at most " + MAX_P
                    + "; gocryptfs writes 1)");
        }
        // The working memory is one array: say so in one line rather than fail with OutOfMemoryError.
        long needed = 128L * r * n;
        long available = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory()
                - Runtime.getRuntime().freeMemory());
        if (needed > available) {
            throw new FormatException("scrypt N=" + n + " R=" + r + " needs " + (needed >> 20) + " MiB of memory; "
                    + "this JVM has " + (available >> 20) + " MiB (-Xmx raises it)");
        }
        try {
            return scrypt(password, salt, (int) n, (int) r, (int) p, (int) keyLength);
        } catch (IllegalArgumentException refused) {
            throw new FormatException("scrypt refused N=" + n + " R=" + r + " P=" + p + ": " + refused.getMessage());
        }
    }

    /** scrypt (RFC 7914) itself, unchecked: also for the RFC's test vectors, which are far below our limits. */
    static byte[] scrypt(byte[] password, byte[] salt, int n, int r, int p, int length) {
        return SCrypt.generate(password, salt, n, r, p, length);
    }
}
