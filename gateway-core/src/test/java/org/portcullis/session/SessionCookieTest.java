package org.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.session.CookieLookup.Outcome;

class SessionCookieTest {

    static final SessionId ID = SessionId.generate(new SecureRandom());
    static final String V = ID.cookieValue();
    static final String OTHER = SessionId.generate(new SecureRandom()).cookieValue();

    @Test
    void setCookieHasTheHostPrefixAndEveryProtectiveAttribute() {
        assertThat(SessionCookie.setCookie(ID))
                .isEqualTo("__Host-portcullis=" + V + "; Path=/; Secure; HttpOnly; SameSite=Lax")
                .doesNotContainIgnoringCase("domain")
                .doesNotContainIgnoringCase("max-age")
                .doesNotContainIgnoringCase("expires");
    }

    @Test
    void clearingCookieRepeatsTheAttributesAHostCookieNeeds() {
        assertThat(SessionCookie.clearingCookie())
                .isEqualTo("__Host-portcullis=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax");
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                arguments(List.of(), Outcome.ABSENT),                                              // 1 no header
                arguments(List.of("theme=dark"), Outcome.ABSENT),                                  // 2 others only
                arguments(List.of("__Host-portcullis=" + V), Outcome.FOUND),                       // 3 alone
                arguments(List.of("a=1; __Host-portcullis=" + V + "; b=2"), Outcome.FOUND),        // 4 among others
                arguments(List.of("  __Host-portcullis = " + V + " ;b=2"), Outcome.FOUND),         // 5 whitespace
                arguments(List.of("a=1;;__Host-portcullis=" + V + ";"), Outcome.FOUND),            // 6 empty pairs
                arguments(List.of("prefs={\"a\":1,\"b\":[2]}; __Host-portcullis=" + V), Outcome.FOUND), // 7 JSON nbr
                arguments(List.of("a=1", "__Host-portcullis=" + V), Outcome.FOUND),                // 8 split header
                arguments(List.of("__Host-portcullis=" + V + "; __Host-portcullis=" + OTHER),      // 9 tossing
                        Outcome.DUPLICATE),
                arguments(List.of("__Host-portcullis=" + V + "; __Host-portcullis=" + V),          // 10 same twice
                        Outcome.FOUND),
                arguments(List.of("__Host-portcullis=" + V, "__Host-portcullis=" + OTHER),         // 11 across hdrs
                        Outcome.DUPLICATE),
                arguments(List.of("__host-portcullis=" + OTHER + "; __Host-portcullis=" + V),      // 12 case variant
                        Outcome.FOUND),
                arguments(List.of("=__Host-portcullis=" + OTHER + "; __Host-portcullis=" + V),     // 13 nameless
                        Outcome.FOUND),
                arguments(List.of("__Host-portcullis=" + V + "; __Host-portcullis="), Outcome.DUPLICATE), // 14
                arguments(List.of("__HOST-PORTCULLIS=" + V), Outcome.MALFORMED),                   // 15 case only
                arguments(List.of("__Host-portcullis=\"" + V + "\""), Outcome.MALFORMED),          // 16 quoted
                arguments(List.of("__Host-portcullis=" + V.substring(1)), Outcome.MALFORMED),      // 17 truncated
                arguments(List.of("__Host-portcullis=" + V + "x"), Outcome.MALFORMED),             // 18 too long
                arguments(List.of("__Host-portcullis="), Outcome.MALFORMED),                       // 19 empty
                arguments(List.of("__Host-portcullis"), Outcome.MALFORMED),                        // 20 no '='
                arguments(List.of("__Host-portcullis=" + V.substring(0, 20) + " " + V.substring(20)), // 21 inner SP
                        Outcome.MALFORMED),
                arguments(List.of("__Host-portcullis=junk%00"), Outcome.MALFORMED),                // 22 junk
                arguments(List.of("__Host-portcullis=" + V + "\u0000"), Outcome.MALFORMED),        // 23 NUL
                arguments(List.of("a=1\r\n; __Host-portcullis=" + V), Outcome.MALFORMED),          // 24 CRLF
                arguments(List.of("__Host-portcullisX=" + V), Outcome.ABSENT),                     // 25 other name
                arguments(List.of("Host-portcullis=" + V), Outcome.ABSENT),                        // 26 no prefix
                arguments(List.of("x=__Host-portcullis=" + V), Outcome.ABSENT));                   // 27 in a value
    }

    @ParameterizedTest
    @MethodSource("lookups")
    void findsTheSessionOnlyInExactlyOneWellFormedCookie(List<String> headers, Outcome expected) {
        CookieLookup lookup = SessionCookie.find(headers);
        assertThat(lookup.outcome()).isEqualTo(expected);
        if (expected == Outcome.FOUND) {
            assertThat(lookup.id()).contains(ID);
        } else {
            assertThat(lookup.id()).isEmpty();
        }
    }

    static Stream<Arguments> strips() {
        return Stream.of(
                arguments("a=1; b=2", Optional.of("a=1; b=2")),                                   // 1 untouched
                arguments("a=1;b=2", Optional.of("a=1;b=2")),                                     // 2 byte-exact
                arguments("__Host-portcullis=" + V, Optional.empty()),                            // 3 only ours
                arguments("a=1; __Host-portcullis=" + V + "; b=2", Optional.of("a=1; b=2")),      // 4 middle
                arguments("__Host-portcullis=" + V + ";a=1", Optional.of("a=1")),                 // 5 first
                arguments("a=1;  __Host-portcullis=" + V + "  ", Optional.of("a=1")),             // 6 last, spaces
                arguments("__Host-portcullis=" + V + "; __Host-portcullis=" + OTHER + "; a=1",    // 7 tossed pair
                        Optional.of("a=1")),
                arguments("__HOST-PORTCULLIS=x; __host-portcullis=y; a=1", Optional.of("a=1")),   // 8 case variants
                arguments("=__Host-portcullis=" + V + "; a=1", Optional.of("a=1")),               // 9 nameless form
                arguments("__Host-portcullis; a=1", Optional.of("a=1")),                          // 10 no value
                arguments("\t__Host-portcullis\t=\t" + V, Optional.empty()),                      // 11 tabs
                arguments("prefs={\"a\":1}; __Host-portcullis=" + V, Optional.of("prefs={\"a\":1}")), // 12 JSON
                arguments("x=__Host-portcullis=" + V, Optional.of("x=__Host-portcullis=" + V)),   // 13 value only
                arguments("__Host-portcullisX=1", Optional.of("__Host-portcullisX=1")),           // 14 other name
                arguments("a=1; __Host-portcullis-csrf=t", Optional.of("a=1")),                   // 15 CSRF cookie
                arguments("__HOST-PORTCULLIS-CSRF=t; b=2", Optional.of("b=2")),                   // 16 its case variant
                arguments("__Host-portcullis-=t; b=2", Optional.of("__Host-portcullis-=t; b=2"))); // 17 bare prefix
    }

    @ParameterizedTest
    @MethodSource("strips")
    void upstreamsNeverSeeTheGatewayCookie(String header, Optional<String> forwarded) {
        assertThat(SessionCookie.stripFromCookieHeader(header)).isEqualTo(forwarded);
    }

    static Stream<Arguments> setCookies() {
        return Stream.of(
                arguments("__Host-portcullis=" + V + "; Path=/; Secure; HttpOnly", true),        // 1 exact
                arguments("__Host-portcullis=; Max-Age=0", true),                                 // 2 deletion
                arguments("__host-portcullis=x", true),                                           // 3 lower case
                arguments("__HOST-PORTCULLIS=x; Domain=example.org", true),                       // 4 upper case
                arguments("  __Host-portcullis  =x", true),                                       // 5 whitespace
                arguments("=__Host-portcullis=x", true),                                          // 6 nameless
                arguments("__Host-portcullis", true),                                             // 7 no '='
                arguments("__Host-portculli\u017f=x", true),                                      // 8 long s
                arguments("ASP.NET_SessionId=abc; path=/; HttpOnly", false),                      // 9 upstream's
                arguments("portcullis=x", false),                                                 // 10 no prefix
                arguments("__Host-portcullis2=x", false),                                         // 11 longer
                arguments("x=1; Path=/__Host-portcullis=", false),                                // 12 in attrs
                arguments("__Host-portcullis-csrf=x; Path=/; Secure", true),                      // 13 CSRF cookie
                arguments("__host-Portcullis-Other=x", true));                                    // 14 family, case
    }

    @ParameterizedTest
    @MethodSource("setCookies")
    void upstreamsMayNotSetTheGatewayCookie(String setCookie, boolean gateways) {
        assertThat(SessionCookie.isGatewayCookie(setCookie)).isEqualTo(gateways);
    }
}
