package org.portcullis.regulation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.crypto.EncryptedSecrets;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretContext;
import org.portcullis.storage.Database;

/**
 * What stands for a login name that names no account, in the audit trail, the lockout counters and the logs. People
 * type their password into the username field; recording unknown names verbatim would write passwords into the trail,
 * the store and every report made of them. So an unknown name is recorded as {@code unknown user (hmac:<32 hex>)}:
 * HMAC-SHA256 (RFC 2104) of the canonical name under a key of this gateway's store, cut to 128 bits. The same name
 * always gives the same text, so failures of one unknown name are still counted and locked together, and an auditor
 * still sees "the same unknown name, 40 times, from one address"; nobody without the key can test guesses against it.
 * No length or character hint is added: the length of a password typed into the wrong field narrows a guess.
 *
 * <h2>The key</h2>
 * 32 random bytes made once and kept in the store as an {@code encrypted_secrets} envelope (context
 * {@code unknown_login_key||}) sealed under {@code storage.encryption_key}: it exists whenever sign-in does (sign-in
 * needs the store), survives restarts, and {@code storage rotate-key} re-encrypts it without changing it, so the text
 * for a name stays the same. Someone holding the audit trail or a copy of the database, but not the storage key,
 * cannot recover a typed password from it. Blocking (storage): make it at start-up.
 */
public final class UnknownLoginNames {
    static final String SECRET_KIND = "unknown_login_key";
    static final String PREFIX = "unknown user (hmac:";
    private static final int KEY_BYTES = 32;
    private static final int SHOWN_BYTES = 16;
    private static final SecretContext CONTEXT = new SecretContext(SECRET_KIND, "", "");

    private final SecretKeySpec key;

    private UnknownLoginNames(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The store's key, made and stored in the same transaction when there is none yet. */
    public static UnknownLoginNames loadOrCreate(Database database, SecretBox box, Clock clock,
                                                 SecureRandom random) {
        EncryptedSecrets secrets = new EncryptedSecrets(database, Objects.requireNonNull(box, "box"), clock);
        byte[] key = database.write(c -> {
            Optional<byte[]> stored = secrets.getIn(c, CONTEXT);
            if (stored.isPresent()) {
                return stored.get();
            }
            byte[] made = new byte[KEY_BYTES];
            random.nextBytes(made);
            secrets.putIn(c, CONTEXT, made);
            return made;
        });
        try {
            return new UnknownLoginNames(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The text recorded for the unknown {@code canonicalLogin} (already canonical, as for {@link Subject#account}):
     * lower case, so it is itself a valid account subject.
     */
    public String subject(String canonicalLogin) {
        Objects.requireNonNull(canonicalLogin, "canonicalLogin");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(canonicalLogin.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, SHOWN_BYTES) + ")";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("UnknownLoginNames: HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code recorded} is such a text (not a real account name: usernames cannot hold spaces). */
    public static boolean isHashed(String recorded) {
        return recorded != null && recorded.startsWith(PREFIX);
    }

    @Override
    public String toString() {
        return "UnknownLoginNames[key=(redacted)]";
    }
}
