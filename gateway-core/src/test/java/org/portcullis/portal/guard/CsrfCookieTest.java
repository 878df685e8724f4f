package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.portal.guard.CsrfCookieLookup.Outcome;
import org.portcullis.session.CookieLookup;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionId;

class CsrfCookieTest {

    static final CsrfTokens TOKENS = new CsrfTokens(new SecureRandom());
    static final String T = TOKENS.newToken();
    static final String OTHER = TOKENS.newToken();
    static final String N = CsrfCookie.NAME;

    @Test
    void setCookieHasTheHostPrefixAndStrictSameSite() {
        assertThat(CsrfCookie.setCookie(T))
                .isEqualTo("__Host-portcullis-csrf=" + T + "; Path=/; Secure; HttpOnly; SameSite=Strict")
                .doesNotContainIgnoringCase("domain");
        assertThat(CsrfCookie.clearingCookie())
                .isEqualTo("__Host-portcullis-csrf=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict");
    }

    @Test
    void onlyATokenCanBeSet() {
        assertThatThrownBy(() -> CsrfCookie.setCookie("x; Domain=evil.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                arguments(List.of(), Outcome.ABSENT),                                       // 1 no header
                arguments(List.of("a=1; b=2"), Outcome.ABSENT),                             // 2 others only
                arguments(List.of(N + "=" + T), Outcome.FOUND),                             // 3 alone
                arguments(List.of("a=1; " + N + "=" + T + "; b=2"), Outcome.FOUND),         // 4 among others
                arguments(List.of(" " + N + " = " + T + " "), Outcome.FOUND),               // 5 whitespace
                arguments(List.of("a=1", N + "=" + T), Outcome.FOUND),                      // 6 split headers
                arguments(List.of("__Host-portcullis=x; " + N + "=" + T), Outcome.FOUND),   // 7 beside session
                arguments(List.of(N + "=" + T + "; " + N + "=" + OTHER), Outcome.DUPLICATE), // 8 tossing
                arguments(List.of(N + "=" + T, N + "=" + T), Outcome.DUPLICATE),            // 9 across headers
                arguments(List.of("__host-portcullis-CSRF=" + OTHER + "; " + N + "=" + T),  // 10 case variant
                        Outcome.DUPLICATE),
                arguments(List.of("=" + N + "=" + OTHER + "; " + N + "=" + T), Outcome.DUPLICATE), // 11 nameless
                arguments(List.of("__HOST-PORTCULLIS-CSRF=" + T), Outcome.MALFORMED),      // 12 case only
                arguments(List.of(N + "=\"" + T + "\""), Outcome.MALFORMED),                // 13 quoted
                arguments(List.of(N + "=" + T.substring(1)), Outcome.MALFORMED),            // 14 truncated
                arguments(List.of(N + "="), Outcome.MALFORMED),                             // 15 empty
                arguments(List.of(N), Outcome.MALFORMED),                                   // 16 no '='
                arguments(List.of(N + "=" + T + "\r\n"), Outcome.MALFORMED),                // 17 CRLF
                arguments(List.of(N + "X=" + T), Outcome.ABSENT),                           // 18 longer name
                arguments(List.of("x=" + N + "=" + T), Outcome.ABSENT));                    // 19 in a value
    }

    @ParameterizedTest
    @MethodSource("lookups")
    void findsTheTokenOnlyInExactlyOneWellFormedCookie(List<String> headers, Outcome expected) {
        CsrfCookieLookup lookup = CsrfCookie.find(headers);
        assertThat(lookup.outcome()).isEqualTo(expected);
        assertThat(lookup.token()).isEqualTo(expected == Outcome.FOUND ? Optional.of(T) : Optional.empty());
        assertThat(lookup.toString()).doesNotContain(T);
    }

    @Test
    void theSessionCookieLookupIsNotConfusedByTheCsrfCookie() {
        SessionId id = SessionId.generate(new SecureRandom());
        CookieLookup lookup = SessionCookie.find(List.of(N + "=" + T + "; __Host-portcullis=" + id.cookieValue()));
        assertThat(lookup.outcome()).isEqualTo(CookieLookup.Outcome.FOUND);
    }

    @Test
    void upstreamsNeverSeeNorSetTheCsrfCookie() {
        assertThat(CsrfCookie.stripFromCookieHeader("a=1; " + N + "=" + T + "; b=2")).contains("a=1; b=2");
        assertThat(CsrfCookie.stripFromCookieHeader(N + "=" + T)).isEmpty();
        assertThat(CsrfCookie.stripFromCookieHeader("__HOST-PORTCULLIS-CSRF=x;a=1")).contains("a=1");
        assertThat(CsrfCookie.stripFromCookieHeader("a=1;b=2")).contains("a=1;b=2");
        assertThat(CsrfCookie.isGatewayCookie(N + "=x; Path=/")).isTrue();
        assertThat(CsrfCookie.isGatewayCookie("__host-portcullis-csrf=x")).isTrue();
        assertThat(CsrfCookie.isGatewayCookie("=" + N + "=x")).isTrue();
        assertThat(CsrfCookie.isGatewayCookie("csrftoken=x; Path=/")).isFalse();
    }
}
