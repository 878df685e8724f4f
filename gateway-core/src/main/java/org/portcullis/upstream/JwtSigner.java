package org.portcullis.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.portcullis.config.JwtAssertionConfig;
import org.portcullis.identity.User;
import org.portcullis.policy.AuthFactor;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * Signs the JWT assertion (RFC 7519, JWS compact serialization RFC 7515 §7.1) that tells an upstream who is calling,
 * so it can verify the caller instead of trusting a header.
 *
 * <h2>Header</h2>
 * {@code {"alg":"ES256","typ":"JWT","kid":…}}: ECDSA P-256 with SHA-256 (RFC 7518 §3.4), the key named by its
 * RFC 7638 thumbprint ({@link SigningKey#kid()}), which the JWKS at {@code /.well-known/portcullis/jwks.json} lists.
 *
 * <h2>Claims</h2>
 * <table>
 *   <caption>claims, in the order written</caption>
 *   <tr><td>{@code iss}</td><td>the configured issuer (RFC 7519 §4.1.1)</td></tr>
 *   <tr><td>{@code sub}</td><td>the canonical user name (§4.1.2)</td></tr>
 *   <tr><td>{@code aud}</td><td>the canonical host of the request (§4.1.3), one string: a token for
 *       {@code records.example.org} is refused by {@code lab.example.org}</td></tr>
 *   <tr><td>{@code exp}, {@code iat}</td><td>epoch seconds (§4.1.4, §4.1.6); {@code exp - iat} is the route's
 *       lifetime, at most 60 s</td></tr>
 *   <tr><td>{@code auth_time}</td><td>epoch seconds of the first factor (OpenID Connect Core §2)</td></tr>
 *   <tr><td>{@code jti}</td><td>128 random bits, base64url (§4.1.7). It names the assertion, not the request:
 *       {@link AssertionReuse} sends one assertion with every request of a session to one audience while more than
 *       half its lifetime remains, so an upstream must not refuse a repeated {@code jti} as a replay</td></tr>
 *   <tr><td>{@code amr}</td><td>the factors used ({@link AuthMethods}, RFC 8176)</td></tr>
 *   <tr><td>{@code name}</td><td>the display name (OpenID Connect Core §5.1)</td></tr>
 *   <tr><td>{@code email}</td><td>only when the user has one (OpenID Connect Core §5.1)</td></tr>
 *   <tr><td>{@code groups}</td><td>array of group names, possibly empty</td></tr>
 * </table>
 * Strings are written by Jackson, which escapes quotes, backslashes and every control character (RFC 8259 §7), so
 * no user attribute can add or change a claim. Times come from the injected {@link Clock}.
 *
 * <p>Thread-safe: a {@link Signature} is made per call. Signing runs on the calling thread and does no I/O, so it may
 * be called on an event loop; {@link AssertionReuse} keeps that to about two signatures per session, audience and
 * lifetime rather than one per request.
 */
public final class JwtSigner {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    static final int JTI_BYTES = 16;

    private static final JsonFactory JSON = new JsonFactory();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKey key;
    private final String issuer;
    private final Clock clock;
    private final String encodedHeader;

    /**
     * @param issuer the {@code iss} claim ({@code org.portcullis.config.IdentityConfig#issuer})
     */
    public JwtSigner(SigningKey key, String issuer, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.issuer = requireText(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.encodedHeader = Base64Url.encode(json(json -> {
            json.writeStringProperty("alg", SigningKey.ALGORITHM);
            json.writeStringProperty("typ", "JWT");
            json.writeStringProperty("kid", key.kid());
        }));
    }

    /** The key this signer signs with. */
    public SigningKey key() {
        return key;
    }

    /**
     * A signed assertion for one forwarded request.
     *
     * @param user     the signed-in user
     * @param audience the canonical host of the request (the route's host as the client asked for it)
     * @param factors  the factors the session completed; at least one
     * @param authTime when the first factor was completed ({@code Session.created()})
     * @param lifetime {@code exp - iat}, whole seconds are used; 1 s to 60 s
     * @throws IllegalArgumentException on a missing audience, no factors or a lifetime outside 1 s to 60 s (a
     *                                  programming error; the caller refuses the request)
     */
    public String sign(User user, String audience, Collection<AuthFactor> factors, Instant authTime,
            Duration lifetime) {
        return signAssertion(user, audience, factors, authTime, lifetime).token();
    }

    /**
     * A signed assertion and when it was issued, so that {@link AssertionReuse} can tell how much of its lifetime
     * remains. Arguments and failures as for {@link #sign}.
     */
    Assertion signAssertion(User user, String audience, Collection<AuthFactor> factors, Instant authTime,
            Duration lifetime) {
        Objects.requireNonNull(user, "user");
        requireText(audience, "audience");
        Objects.requireNonNull(authTime, "authTime");
        if (factors.isEmpty()) {
            throw new IllegalArgumentException("JwtSigner: no factors; an assertion is only for a signed-in user");
        }
        long seconds = lifetime.toSeconds();
        if (seconds < 1 || lifetime.compareTo(JwtAssertionConfig.MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("JwtSigner: lifetime must be 1s to 60s but is " + lifetime);
        }
        long issuedAt = clock.instant().getEpochSecond();
        List<String> amr = AuthMethods.of(factors);
        byte[] jti = new byte[JTI_BYTES];
        RANDOM.nextBytes(jti);
        String payload = Base64Url.encode(json(json -> {
            json.writeStringProperty("iss", issuer);
            json.writeStringProperty("sub", user.username());
            json.writeStringProperty("aud", audience);
            json.writeNumberProperty("exp", issuedAt + seconds);
            json.writeNumberProperty("iat", issuedAt);
            json.writeNumberProperty("auth_time", authTime.getEpochSecond());
            json.writeStringProperty("jti", Base64Url.encode(jti));
            stringArray(json, "amr", amr);
            json.writeStringProperty("name", user.displayName());
            if (user.email().isPresent()) {
                json.writeStringProperty("email", user.email().get());
            }
            stringArray(json, "groups", user.groups());
        }));
        String signingInput = encodedHeader + "." + payload;
        return new Assertion(signingInput + "." + Base64Url.encode(sign(signingInput)),
                Instant.ofEpochSecond(issuedAt), Instant.ofEpochSecond(issuedAt + seconds));
    }

    /** One signed assertion: the compact JWS and its {@code iat} and {@code exp}. */
    record Assertion(String token, Instant issuedAt, Instant expiresAt) {
        /** Prints the times only: the token is a bearer credential for its upstream. */
        @Override
        public String toString() {
            return "Assertion[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", token=(redacted)]";
        }
    }

    /** The clock assertions are dated with. */
    Clock clock() {
        return clock;
    }

    private byte[] sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initSign(key.privateKey(), RANDOM);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return EcdsaSignatures.derToJose(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JwtSigner: ES256 signing failed: " + e.getMessage(), e);
        }
    }

    private static void stringArray(JsonGenerator json, String name, List<String> values) {
        json.writeName(name);
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** One JSON object with the members {@code body} writes, as UTF-8. */
    static byte[] json(java.util.function.Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            body.accept(json);
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("JwtSigner: " + name + " must not be empty");
        }
        return value;
    }
}
