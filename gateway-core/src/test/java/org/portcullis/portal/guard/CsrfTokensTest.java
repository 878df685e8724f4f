package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;

class CsrfTokensTest {

    static final SecureRandom RANDOM = new SecureRandom();
    final CsrfTokens tokens = new CsrfTokens(RANDOM);

    @Test
    void aTokenIs32RandomBytesInBase64Url() {
        String token = tokens.newToken();
        assertThat(token).hasSize(CsrfTokens.LENGTH).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(tokens.newToken())).isTrue();
        }
    }

    @Test
    void matchesOnlyTheSameWellFormedToken() {
        String token = tokens.newToken();
        assertThat(CsrfTokens.matches(token, new String(token))).isTrue();
        assertThat(CsrfTokens.matches(token, tokens.newToken())).isFalse();
        assertThat(CsrfTokens.matches(token, token.substring(1))).isFalse();
        assertThat(CsrfTokens.matches(token, token + "A")).isFalse();
        assertThat(CsrfTokens.matches(token, token.toUpperCase())).isFalse();
        assertThat(CsrfTokens.matches(token, null)).isFalse();
        assertThat(CsrfTokens.matches(token, "")).isFalse();
    }

    @Test
    void emptyOrMissingExpectedTokensNeverMatch() {
        assertThat(CsrfTokens.matches("", "")).isFalse();
        assertThat(CsrfTokens.matches(null, null)).isFalse();
        String padded = "a".repeat(42) + "=";
        assertThat(CsrfTokens.matches(padded, padded)).isFalse();
        String nonAscii = "a".repeat(42) + "\u00e9";
        assertThat(CsrfTokens.matches(nonAscii, nonAscii)).isFalse();
    }

    @Test
    void sessionTokensAreBoundToSessionAndPurpose() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        SessionCsrfTokens bound = new SessionCsrfTokens(key);
        SessionIdHash one = SessionId.generate(RANDOM).hash();
        SessionIdHash two = SessionId.generate(RANDOM).hash();

        String token = bound.tokenFor(one, CsrfPurpose.LOGOUT);
        assertThat(CsrfTokens.isWellFormed(token)).isTrue();
        assertThat(bound.tokenFor(SessionIdHash.of(one.bytes()), CsrfPurpose.LOGOUT)).isEqualTo(token);
        assertThat(bound.verify(one, CsrfPurpose.LOGOUT, token)).isTrue();
        assertThat(bound.verify(two, CsrfPurpose.LOGOUT, token)).isFalse();
        assertThat(bound.verify(one, CsrfPurpose.ENROLMENT, token)).isFalse();
        assertThat(bound.verify(one, CsrfPurpose.LOGOUT, null)).isFalse();

        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertThat(new SessionCsrfTokens(otherKey).verify(one, CsrfPurpose.LOGOUT, token)).isFalse();
    }

    @Test
    void aShortHmacKeyIsAProgrammingError() {
        assertThatThrownBy(() -> new SessionCsrfTokens(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
