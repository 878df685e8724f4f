package org.portcullis.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals small secrets (TOTP keys) with AES-256-GCM (NIST SP 800-38D) through the JDK's JCA provider.
 *
 * <h2>Envelope</h2>
 * {@code v1:<key-id>:<base64url(nonce ‖ ciphertext ‖ tag)>}, unpadded, with a fresh random 12-byte nonce per
 * seal (SP 800-38D §8.2.2: random 96-bit nonces are safe far beyond the number of secrets a gateway holds) and a
 * 128-bit tag. The version lets a later format coexist; the {@link EncryptionKey#id() key id} turns a wrong key
 * into a precise "encrypted under key X, configured key is Y".
 *
 * <h2>Context</h2>
 * Every seal and open takes a context such as {@code totp|alice|cred-1}; it and the envelope header are the GCM
 * associated data. The database row's identity is the context, so copying alice's envelope into bob's row (or one
 * credential's into another's) yields an envelope that no longer opens: rows cannot be swapped.
 *
 * <p>Thread-safe: a {@link Cipher} is made per call.
 */
public final class SecretBox {

    static final String VERSION = "v1";
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** Generous: TOTP secrets are 20–64 bytes; bounds what a corrupt row can make us decode. */
    static final int MAX_ENVELOPE_CHARS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKey key;

    public SecretBox(EncryptionKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The id of the key this box seals under. */
    public String keyId() {
        return key.id();
    }

    /** Encrypts {@code plaintext} bound to {@code context}. */
    public String seal(byte[] plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        String header = header(key.id());
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(header, context));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] data = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, data, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, data, NONCE_BYTES, sealed.length);
            return header + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts an envelope sealed under this key with the same context.
     *
     * @throws SecretBoxException if it is malformed, sealed under another key, or not authentic (tampered, or made
     *                            for another context)
     */
    public byte[] open(String envelope, String context) {
        String storedKeyId = keyIdOf(envelope);
        if (!storedKeyId.equals(key.id())) {
            throw wrongKey(storedKeyId, key.id());
        }
        String header = header(storedKeyId);
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(envelope.substring(header.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretBoxException(SecretBoxException.Reason.MALFORMED, storedKeyId,
                    "secret envelope under key " + storedKeyId + " is not valid base64url");
        }
        if (data.length < NONCE_BYTES + TAG_BYTES) {
            throw new SecretBoxException(SecretBoxException.Reason.MALFORMED, storedKeyId,
                    "secret envelope under key " + storedKeyId + " is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(header, context));
            return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException(SecretBoxException.Reason.NOT_AUTHENTIC, storedKeyId,
                    "secret for '" + context + "' does not verify under key " + storedKeyId
                            + ": it was altered or belongs to another row");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK: " + e.getMessage(), e);
        }
    }

    /** The key id written in an envelope, without decrypting it. */
    public static String keyIdOf(String envelope) {
        if (envelope == null || envelope.length() > MAX_ENVELOPE_CHARS
                || !envelope.startsWith(VERSION + ":")) {
            throw new SecretBoxException(SecretBoxException.Reason.MALFORMED, null,
                    "not a " + VERSION + " secret envelope");
        }
        int idStart = VERSION.length() + 1;
        int idEnd = idStart + EncryptionKey.ID_HEX_DIGITS;
        if (envelope.length() <= idEnd || envelope.charAt(idEnd) != ':') {
            throw new SecretBoxException(SecretBoxException.Reason.MALFORMED, null,
                    "secret envelope has no key id");
        }
        String id = envelope.substring(idStart, idEnd);
        if (!id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new SecretBoxException(SecretBoxException.Reason.MALFORMED, null,
                    "secret envelope has a malformed key id");
        }
        return id;
    }

    static SecretBoxException wrongKey(String storedKeyId, String configuredKeyId) {
        return new SecretBoxException(SecretBoxException.Reason.WRONG_KEY, storedKeyId,
                "secrets are encrypted under key " + storedKeyId + ", the configured storage.encryption_key is "
                        + configuredKeyId + " (wrong key? after 'portcullis storage rotate-key' configure the new"
                        + " key)");
    }

    private static String header(String keyId) {
        return VERSION + ":" + keyId + ":";
    }

    private static byte[] associatedData(String header, String context) {
        Objects.requireNonNull(context, "context");
        return EncryptionKey.utf8(header + context);
    }

    @Override
    public String toString() {
        return "SecretBox[key=" + key.id() + "]";
    }
}
