package org.portcullis.portal.guard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.session.SessionIdHash;

/**
 * CSRF tokens bound to a session and a purpose without storing anything: {@code HMAC-SHA256(key, "portcullis csrf" 0x00
 * purpose 0x00 sessionIdHash)} in base64url (RFC 2104; the "signed token" pattern of the OWASP CSRF cheat sheet).
 *
 * <ul>
 *   <li>Bound to the session: another session's token, or one from before a session rotation (each factor gives a
 *       new id, SECURITY-RULES 11), does not verify, so a token captured before sign-in is worthless after it.</li>
 *   <li>Bound to the purpose ({@link CsrfPurpose}).</li>
 *   <li>Stateless: no session write when a page renders. The key ({@value #MIN_KEY_BYTES} bytes or more) comes from
 *       the caller; a key generated per process only means a form left open across a restart is refused once.</li>
 * </ul>
 * The session id hash, not the id itself, is the input, so the cookie secret never reaches this class.
 */
public final class SessionCsrfTokens {

    public static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DOMAIN = "portcullis csrf\0".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;

    public SessionCsrfTokens(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("SessionCsrfTokens: the key needs at least " + MIN_KEY_BYTES
                    + " bytes");
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The token to put in the {@code purpose} form of {@code session}. */
    public String tokenFor(SessionIdHash session, CsrfPurpose purpose) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(purpose, "purpose");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(DOMAIN);
            mac.update(purpose.name().getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            mac.update(session.bytes());
            return CsrfTokens.encode(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SessionCsrfTokens: the JVM has no HMAC-SHA256", e);
        }
    }

    /** True if {@code presented} is the token of {@code session} for {@code purpose}; constant time. */
    public boolean verify(SessionIdHash session, CsrfPurpose purpose, String presented) {
        return CsrfTokens.matches(tokenFor(session, purpose), presented);
    }
}
