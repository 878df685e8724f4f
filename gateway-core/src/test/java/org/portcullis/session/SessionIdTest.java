package org.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SessionIdTest {

    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void isFortyThreeBase64UrlCharactersAndParsesBack() {
        SessionId id = SessionId.generate(RANDOM);
        assertThat(id.cookieValue()).hasSize(SessionId.LENGTH).matches("[A-Za-z0-9_-]{43}");
        assertThat(SessionId.parse(id.cookieValue())).contains(id);
        assertThat(SessionId.parse(id.cookieValue()).orElseThrow().hash()).isEqualTo(id.hash());
    }

    @Test
    void neverPrintsTheSecret() {
        SessionId id = SessionId.generate(RANDOM);
        assertThat(id.toString()).doesNotContain(id.cookieValue()).contains("redacted");
        assertThat(id.hash().toString()).isEqualTo("SessionIdHash[" + id.hash().displayId() + "]");
    }

    @Test
    void idsAndDisplayIdsDiffer() {
        Set<String> ids = new HashSet<>();
        Set<SessionIdHash> hashes = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            SessionId id = SessionId.generate(RANDOM);
            ids.add(id.cookieValue());
            hashes.add(id.hash());
        }
        assertThat(ids).hasSize(1000);
        assertThat(hashes).hasSize(1000);
    }

    @Test
    void displayIdIsEightHexDigitsNotPartOfTheIdOrKey() {
        SessionId id = SessionId.generate(RANDOM);
        String display = id.hash().displayId();
        assertThat(display).matches("[0-9a-f]{8}");
        assertThat(java.util.HexFormat.of().formatHex(id.hash().bytes())).doesNotStartWith(display);
    }

    static Stream<String> junk() {
        String valid = SessionId.generate(RANDOM).cookieValue();
        return Stream.of(
                null,
                "",
                valid.substring(1),                          // 42 characters
                valid + "A",                                 // 44 characters
                valid.substring(0, 42) + "=",                // padding
                "+" + valid.substring(1),                    // standard base64 alphabet
                "/" + valid.substring(1),
                " " + valid.substring(1),                    // whitespace
                valid.substring(0, 42) + "\t",
                "\"" + valid.substring(1, 42) + "\"",        // quoted
                "é" + valid.substring(1),                    // non-ASCII
                "A".repeat(42) + "B",                        // non-canonical: unused low bits set
                "%41" + valid.substring(3));                 // percent-encoded
    }

    @ParameterizedTest
    @MethodSource("junk")
    void parseAnswersJunkWithNothing(String text) {
        assertThat(SessionId.parse(text)).isEmpty();
    }
}
