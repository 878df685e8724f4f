package org.portcullis.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.portcullis.identity.User;
import org.portcullis.policy.AuthFactor;

/**
 * The JWT assertion as an upstream sees it, checked with an independent JOSE implementation (Nimbus JOSE+JWT) that
 * only gets the token and the JWKS document the gateway serves.
 */
class JwtSignerTest {
    static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    static final Instant SIGNED_IN = Instant.parse("2026-03-01T08:15:30.750Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String HOST = "records.example.org";
    static final Set<AuthFactor> PASSWORD_AND_TOTP = EnumSet.of(AuthFactor.PASSWORD, AuthFactor.TOTP);

    final SigningKey key = SigningKey.generate();
    final JwtSigner signer = new JwtSigner(key, "https://login.example.org", CLOCK);

    /** What an upstream does: parse the published JWKS, pick the key by kid, check the ES256 signature. */
    static SignedJWT verifiedWith(String jwks, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        ECKey ecKey = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(ecKey).as("the JWKS lists the token's kid").isNotNull();
        assertThat(jwt.verify(new ECDSAVerifier(ecKey))).as("signature verifies").isTrue();
        return jwt;
    }

    static boolean verifies(String jwks, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        ECKey ecKey = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        return ecKey != null && jwt.verify(new ECDSAVerifier(ecKey));
    }

    String jwks() {
        return JwksDocument.of(key).json();
    }

    @Test
    void everyClaimAndHeaderMemberVerifiesWithTheJwks() throws Exception {
        String token = signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN, Duration.ofSeconds(60));

        SignedJWT jwt = verifiedWith(jwks(), token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid());
        assertThat(jwt.getHeader().toJSONObject()).containsOnlyKeys("alg", "typ", "kid");

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://login.example.org");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly(HOST);
        assertThat(jwt.getPayload().toJSONObject().get("aud")).as("aud is one string").isEqualTo(HOST);
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plusSeconds(60)));
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(SIGNED_IN.getEpochSecond());
        assertThat(claims.getJWTID()).matches("[A-Za-z0-9_-]{22}");
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(claims.getStringClaim("name")).isEqualTo("Alice Smith");
        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.org");
        assertThat(claims.getStringListClaim("groups")).containsExactly("clinicians", "nurses");
        assertThat(claims.getClaims()).containsOnlyKeys("iss", "sub", "aud", "exp", "iat", "auth_time", "jti",
                "amr", "name", "email", "groups");
    }

    @Test
    void kidIsTheRfc7638ThumbprintNimbusComputes() throws Exception {
        ECKey published = (ECKey) JWKSet.parse(jwks()).getKeys().get(0);
        assertThat(published.computeThumbprint().toString()).isEqualTo(key.kid());
        assertThat(published.toECPublicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void lifetimeIsAtMostSixtySecondsAndFollowsTheRoute() throws Exception {
        JWTClaimsSet claims = verifiedWith(jwks(), signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP,
                SIGNED_IN, Duration.ofSeconds(5))).getJWTClaimsSet();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(5_000);

        assertThatThrownBy(() -> signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN,
                Duration.ofSeconds(61))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN,
                Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(SignedJWT.parse(signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN,
                    Duration.ofSeconds(60))).getJWTClaimsSet().getJWTID());
        }
        assertThat(ids).hasSize(50);
    }

    @Test
    void amrNamesTheFactorsUsed() throws Exception {
        Map<Set<AuthFactor>, List<String>> cases = Map.of(
                EnumSet.of(AuthFactor.PASSWORD), List.of("pwd"),
                EnumSet.of(AuthFactor.PASSWORD, AuthFactor.TOTP), List.of("pwd", "otp", "mfa"),
                EnumSet.of(AuthFactor.PASSWORD, AuthFactor.WEBAUTHN), List.of("pwd", "pop", "mfa"),
                EnumSet.of(AuthFactor.PASSWORD, AuthFactor.RECOVERY_CODE), List.of("pwd", "rec", "mfa"),
                EnumSet.of(AuthFactor.PASSWORD, AuthFactor.TOTP, AuthFactor.WEBAUTHN),
                List.of("pwd", "otp", "pop", "mfa"),
                EnumSet.of(AuthFactor.PASSKEY), List.of("pop"),
                EnumSet.of(AuthFactor.PASSKEY, AuthFactor.WEBAUTHN), List.of("pop", "mfa"),
                EnumSet.of(AuthFactor.PASSKEY, AuthFactor.TOTP), List.of("otp", "pop", "mfa"));
        for (Map.Entry<Set<AuthFactor>, List<String>> c : cases.entrySet()) {
            String token = signer.sign(TestUsers.alice(), HOST, c.getKey(), SIGNED_IN, Duration.ofSeconds(60));
            assertThat(verifiedWith(jwks(), token).getJWTClaimsSet().getStringListClaim("amr"))
                    .as("%s", c.getKey()).containsExactlyElementsOf(c.getValue());
        }
        assertThatThrownBy(() -> signer.sign(TestUsers.alice(), HOST, Set.of(), SIGNED_IN, Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noEmailClaimWithoutAnEmailAndEmptyGroupsStayAnArray() throws Exception {
        User bob = TestUsers.user("bob", "Bob", null, List.of());
        JWTClaimsSet claims = verifiedWith(jwks(), signer.sign(bob, HOST, PASSWORD_AND_TOTP, SIGNED_IN,
                Duration.ofSeconds(60))).getJWTClaimsSet();
        assertThat(claims.getClaims()).doesNotContainKey("email");
        assertThat(claims.getStringListClaim("groups")).isEmpty();
    }

    @Test
    void hostileAttributesStayInsideTheirClaims() throws Exception {
        String name = "Zoë \"Ågren\"\\\r\n\u0000\",\"sub\":\"admin";
        User zoe = TestUsers.user("zoe", name, "zoe@example.org", List.of("a,b", "c\",\"groups\":[\"admins"));
        JWTClaimsSet claims = verifiedWith(jwks(), signer.sign(zoe, HOST, PASSWORD_AND_TOTP, SIGNED_IN,
                Duration.ofSeconds(60))).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("zoe");
        assertThat(claims.getStringClaim("name")).isEqualTo(name);
        assertThat(claims.getStringListClaim("groups")).containsExactly("a,b", "c\",\"groups\":[\"admins");
        assertThat(claims.getClaims()).containsOnlyKeys("iss", "sub", "aud", "exp", "iat", "auth_time", "jti",
                "amr", "name", "email", "groups");
    }

    @Test
    void tamperedTokensFail() throws Exception {
        String token = signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN, Duration.ofSeconds(60));
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);

        // another subject, same signature
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"alice\"", "\"sub\":\"admin\"");
        String otherSubject = parts[0] + "." + Base64Url.encode(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertThat(verifies(jwks(), otherSubject)).isFalse();

        // one bit of the signature flipped
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 1;
        assertThat(verifies(jwks(), parts[0] + "." + parts[1] + "." + Base64Url.encode(signature))).isFalse();

        // signed by another key that claims this key's id
        JwtSigner impostor = new JwtSigner(SigningKey.generate(), "https://login.example.org", CLOCK);
        String[] forged = impostor.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN,
                Duration.ofSeconds(60)).split("\\.");
        assertThat(verifies(jwks(), parts[0] + "." + forged[1] + "." + forged[2])).isFalse();

        // the untouched token still verifies
        assertThat(verifies(jwks(), token)).isTrue();
    }

    @Test
    void anUpstreamProcessorAcceptsItOnlyForItsOwnHostAndBeforeExpiry() throws Exception {
        String token = signer.sign(TestUsers.alice(), HOST, PASSWORD_AND_TOTP, SIGNED_IN, Duration.ofSeconds(30));

        assertThat(processor(HOST, NOW.plusSeconds(10)).process(token, null).getSubject()).isEqualTo("alice");
        assertThatThrownBy(() -> processor("lab.example.org", NOW.plusSeconds(10)).process(token, null))
                .isInstanceOf(BadJWTException.class).hasMessageContaining("aud claim rejected");
        assertThatThrownBy(() -> processor(HOST, NOW.plusSeconds(31)).process(token, null))
                .isInstanceOf(BadJWTException.class).hasMessageContaining("Expired");
    }

    /** Nimbus' processor as an upstream would configure it, with no clock skew and the test's clock. */
    private DefaultJWTProcessor<SecurityContext> processor(String audience, Instant now) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(JWKSet.parse(jwks()))));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer("https://login.example.org").build(),
                Set.of("sub", "iat", "exp", "jti", "amr", "auth_time")) {
            @Override
            protected Date currentTime() {
                return Date.from(now);
            }
        };
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }
}
