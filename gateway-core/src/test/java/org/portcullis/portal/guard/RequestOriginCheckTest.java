package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.portal.guard.RequestOriginCheck.Outcome;

class RequestOriginCheckTest {

    static final PortalOrigin PORTAL = PortalOrigin.of(URI.create("https://login.example.org"));
    static final String O = "https://login.example.org";
    static final String SO = "same-origin";

    static Stream<Arguments> requests() {
        return Stream.of(
                arguments(List.of(O), List.of(SO), Outcome.ALLOWED),                              // 1 both right
                arguments(List.of(O), List.of(), Outcome.ALLOWED),                                // 2 Origin only
                arguments(List.of(), List.of(SO), Outcome.ALLOWED),                               // 3 fetch only
                arguments(List.of(), List.of(), Outcome.HEADERS_MISSING),                         // 4 neither
                arguments(List.of("https://evil.com"), List.of(SO), Outcome.ORIGIN_MISMATCH),     // 5 foreign
                arguments(List.of("https://evil.com"), List.of(), Outcome.ORIGIN_MISMATCH),       // 6 foreign alone
                arguments(List.of("null"), List.of(SO), Outcome.ORIGIN_NULL),                     // 7 null origin
                arguments(List.of("null"), List.of(), Outcome.ORIGIN_NULL),                       // 8 null alone
                arguments(List.of(O, O), List.of(SO), Outcome.ORIGIN_REPEATED),                   // 9 twice
                arguments(List.of(O, "https://evil.com"), List.of(), Outcome.ORIGIN_REPEATED),    // 10 two origins
                arguments(List.of("http://login.example.org"), List.of(SO), Outcome.ORIGIN_MISMATCH), // 11 http
                arguments(List.of("https://login.example.org:443"), List.of(), Outcome.ORIGIN_MISMATCH), // 12 port
                arguments(List.of("https://LOGIN.example.org"), List.of(), Outcome.ORIGIN_MISMATCH), // 13 case
                arguments(List.of(O + "/"), List.of(), Outcome.ORIGIN_MISMATCH),                  // 14 slash
                arguments(List.of(O + "."), List.of(), Outcome.ORIGIN_MISMATCH),                  // 15 dot
                arguments(List.of(" " + O), List.of(), Outcome.ORIGIN_MISMATCH),                  // 16 space
                arguments(List.of(O + ", https://evil.com"), List.of(), Outcome.ORIGIN_MISMATCH), // 17 list
                arguments(List.of("https://app.example.org"), List.of(SO), Outcome.ORIGIN_MISMATCH), // 18 sibling
                arguments(List.of(""), List.of(), Outcome.ORIGIN_MISMATCH),                       // 19 empty
                arguments(List.of(O), List.of("cross-site"), Outcome.FETCH_SITE_NOT_SAME_ORIGIN), // 20 cross-site
                arguments(List.of(), List.of("same-site"), Outcome.FETCH_SITE_NOT_SAME_ORIGIN),   // 21 same-site
                arguments(List.of(), List.of("none"), Outcome.FETCH_SITE_NOT_SAME_ORIGIN),        // 22 none
                arguments(List.of(), List.of("Same-Origin"), Outcome.FETCH_SITE_NOT_SAME_ORIGIN), // 23 case
                arguments(List.of(O), List.of(SO, SO), Outcome.FETCH_SITE_REPEATED),              // 24 twice
                arguments(List.of(), List.of(SO, "cross-site"), Outcome.FETCH_SITE_REPEATED));    // 25 mixed
    }

    @ParameterizedTest
    @MethodSource("requests")
    void allowsOnlyTheSameOriginNamedOnce(List<String> origins, List<String> sites, Outcome expected) {
        Outcome outcome = new RequestOriginCheck(PORTAL, false).check(origins, sites);
        assertThat(outcome).isEqualTo(expected);
        assertThat(outcome.allowed()).isEqualTo(expected == Outcome.ALLOWED);
    }

    @Test
    void missingHeadersPassOnlyWhenConfigured() {
        RequestOriginCheck lenient = new RequestOriginCheck(PORTAL, true);
        assertThat(lenient.check(List.of(), List.of())).isEqualTo(Outcome.ALLOWED_WITHOUT_HEADERS);
        assertThat(lenient.check(List.of(), List.of()).allowed()).isTrue();
        assertThat(lenient.check(List.of("null"), List.of())).isEqualTo(Outcome.ORIGIN_NULL);
        assertThat(lenient.check(List.of(), List.of("cross-site"))).isEqualTo(Outcome.FETCH_SITE_NOT_SAME_ORIGIN);
    }

    @Test
    void aPortalOnAnotherPortIsNamedWithItsPort() {
        RequestOriginCheck check = new RequestOriginCheck(
                PortalOrigin.of(URI.create("https://login.example.org:8443")), false);
        assertThat(check.check(List.of("https://login.example.org:8443"), List.of())).isEqualTo(Outcome.ALLOWED);
        assertThat(check.check(List.of(O), List.of())).isEqualTo(Outcome.ORIGIN_MISMATCH);
    }
}
