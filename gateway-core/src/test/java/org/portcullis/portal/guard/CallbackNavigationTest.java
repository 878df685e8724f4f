package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CallbackNavigationTest {
    static final PortalOrigin SAME_SITE_PORTAL = new PortalOrigin("https", "login.example.org", 443);
    static final PortalOrigin OTHER_SITE_PORTAL = new PortalOrigin("https", "login.test", 8443);

    static Stream<Arguments> cases() {
        return Stream.of(
                // a genuine callback when portal and host share example.org
                Arguments.of(SAME_SITE_PORTAL, "records.example.org", List.of("same-site"), true),
                // a link on a hostile page to a same-site deployment's callback
                Arguments.of(SAME_SITE_PORTAL, "records.example.org", List.of("cross-site"), false),
                Arguments.of(SAME_SITE_PORTAL, "a.b.example.org", List.of("cross-site"), false),
                Arguments.of(SAME_SITE_PORTAL, "example.org", List.of("cross-site"), false),
                // the header twice: refused whatever it says
                Arguments.of(SAME_SITE_PORTAL, "records.example.org", List.of("same-site", "same-site"), false),
                // no header (older browsers), typed or bookmarked (none): left to the state cookie
                Arguments.of(SAME_SITE_PORTAL, "records.example.org", List.of(), true),
                Arguments.of(SAME_SITE_PORTAL, "records.example.org", List.of("none"), true),
                // a genuine callback from a portal on another registrable domain is cross-site
                Arguments.of(SAME_SITE_PORTAL, "records.example.net", List.of("cross-site"), true),
                Arguments.of(OTHER_SITE_PORTAL, "app.test", List.of("cross-site"), true),
                // example.org's parent is not a site of its own: notexample.org is no sibling
                Arguments.of(SAME_SITE_PORTAL, "notexample.org", List.of("cross-site"), true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void crossSiteIsRefusedOnlyWhereAGenuineCallbackCannotBeCrossSite(PortalOrigin portal, String host,
                                                                      List<String> secFetchSite, boolean allowed) {
        assertThat(CallbackNavigation.allowed(portal, host, secFetchSite)).isEqualTo(allowed);
    }
}
