package org.panfuse.crypt.format;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key inside the key file: EncryptedKey = nonce (16) || AES-256-GCM
 * ciphertext (32) || tag (16), under HKDF(scrypt hash, "AES-GCM file content
 * encryption"). gocryptfs seals it as content block 0 of no file, so the
 * associated data is block number 0 as eight big-endian bytes and no file ID.
 */
final class KeyWrap {
    static final int NONCE_LENGTH = 16;
    static final int TAG_LENGTH = 16;
    static final int WRAPPED_LENGTH = NONCE_LENGTH + MasterKey.LENGTH + TAG_LENGTH;
    private static final byte[] BLOCK_ZERO_AD = new byte[8];

    private KeyWrap() {
    }

    /** Wraps {@code masterKey} under the scrypt hash of the password. */
    static byte[] wrap(byte[] scryptHash, byte[] masterKey, SecureRandom random) {
        byte[] out = new byte[WRAPPED_LENGTH];
        random.nextBytes(out);
        Cipher gcm = gcm(Cipher.ENCRYPT_MODE, scryptHash, out);
        try {
            gcm.doFinal(masterKey, 0, masterKey.length, out, NONCE_LENGTH);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES-GCM failed to seal", impossible);
        }
        return out;
    }

    /**
     * The master key, in an array the caller wipes.
     *
     * @throws WrongPasswordException if the tag does not verify
     */
    static byte[] unwrap(byte[] scryptHash, byte[] wrapped) {
        if (wrapped.length != WRAPPED_LENGTH) {
            throw new FormatException("EncryptedKey has " + wrapped.length + " bytes, not " + WRAPPED_LENGTH);
        }
        Cipher gcm = gcm(Cipher.DECRYPT_MODE, scryptHash, wrapped);
        byte[] key = new byte[MasterKey.LENGTH];
        try {
            gcm.doFinal(wrapped, NONCE_LENGTH, wrapped.length - NONCE_LENGTH, key, 0);
            return key;
        } catch (AEADBadTagException wrongPassword) {
            Arrays.fill(key, (byte) 0);
            throw new WrongPasswordException();
        } catch (GeneralSecurityException impossible) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException("AES-GCM failed to open", impossible);
        }
    }

    /** A GCM cipher under the derived key, with the nonce at the start of {@code nonceHolder}. */
    private static Cipher gcm(int mode, byte[] scryptHash, byte[] nonceHolder) {
        byte[] gcmKey = Hkdf.derive(scryptHash, Hkdf.GCM_CONTENT, 32);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(mode, new SecretKeySpec(gcmKey, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonceHolder, 0, NONCE_LENGTH));
            gcm.updateAAD(BLOCK_ZERO_AD);
            return gcm;
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("AES-GCM is not available", missing);
        } finally {
            Arrays.fill(gcmKey, (byte) 0);
        }
    }
}
