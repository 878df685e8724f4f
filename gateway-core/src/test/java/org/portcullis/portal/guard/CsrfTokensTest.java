package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
}
