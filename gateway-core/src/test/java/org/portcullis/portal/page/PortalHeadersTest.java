package org.portcullis.portal.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.config.PortalBranding;
import org.portcullis.config.RgbColour;

class PortalHeadersTest {
    @Test
    void everySecurityHeaderIsSet() throws Exception {
        PortalPages pages = new PortalPages(PortalBranding.defaults(), List.of());
        String hash = sha256(StrictHtml.parse(pages.login("t", "").html()).styleText());
        assertThat(pages.headers().headers()).extracting(h -> h.name() + ": " + h.value()).containsExactly(
                "Content-Security-Policy: default-src 'none'; style-src 'sha256-" + hash + "'; img-src data:;"
                        + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                "X-Frame-Options: DENY",
                "Referrer-Policy: same-origin",
                "Cache-Control: no-store",
                "X-Content-Type-Options: nosniff",
                "Content-Type: text/html; charset=utf-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"#005eb8", "#000000", "#767676", "#8a1538"})
    void styleHashMatchesTheRenderedStylesheetForEveryColour(String colour) throws Exception {
        PortalBranding branding = new PortalBranding("Org", Optional.empty(), RgbColour.parse(colour).orElseThrow(),
                Optional.empty());
        PortalPages pages = new PortalPages(branding, List.of());
        for (PortalPage page : List.of(pages.login("t", ""), pages.account("a", "b", "c"), pages.notFound())) {
            String style = StrictHtml.parse(page.html()).styleText();
            assertThat(style).contains(colour);
            assertThat(pages.headers().contentSecurityPolicy()).contains("style-src 'sha256-" + sha256(style) + "';");
        }
    }

    @Test
    void differentColoursGiveDifferentHashes() {
        String a = PortalStylesheet.of(RgbColour.parse("#005eb8").orElseThrow()).cspHashSource();
        String b = PortalStylesheet.of(RgbColour.parse("#005eb9").orElseThrow()).cspHashSource();
        assertThat(a).isNotEqualTo(b).matches("'sha256-[A-Za-z0-9+/]{43}='");
    }

    @Test
    void formActionListsTheProtectedOriginsOnce() {
        PortalHeaders headers = PortalHeaders.of(PortalStylesheet.of(PortalBranding.DEFAULT_PRIMARY_COLOUR),
                List.of("https://records.example.org", "https://*.example.net", "http://localhost:8080",
                        "https://[2001:db8::1]:8443", "https://records.example.org"));
        assertThat(headers.contentSecurityPolicy()).contains("; form-action 'self' https://records.example.org"
                + " https://*.example.net http://localhost:8080 https://[2001:db8::1]:8443; frame-ancestors 'none';");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://a.example.org; script-src *", "https://a.example.org 'unsafe-inline'",
            "https://a.example.org,https://b", "*", "'self'", "data:", "https://a.example.org/path",
            "https://A.example.org", "javascript:alert(1)", "https://", "ftp://a.example.org",
            "https://a.example.org\r\nSet-Cookie: x=y"})
    void refusesOriginsThatWouldInjectIntoThePolicy(String origin) {
        PortalStylesheet stylesheet = PortalStylesheet.of(PortalBranding.DEFAULT_PRIMARY_COLOUR);
        assertThatThrownBy(() -> PortalHeaders.of(stylesheet, List.of(origin)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PortalHeaders: form action origin is not scheme://host[:port]");
    }

    @Test
    void setsEveryHeaderOnANettyResponse() {
        HttpHeaders target = new DefaultHttpHeaders();
        target.set("Content-Security-Policy", "default-src *");
        PortalHeaders headers = new PortalPages(PortalBranding.defaults(), List.of()).headers();
        headers.setOn(target);
        assertThat(target.getAll("Content-Security-Policy")).containsExactly(headers.contentSecurityPolicy());
        assertThat(target.get("X-Frame-Options")).isEqualTo("DENY");
        assertThat(target.size()).isEqualTo(6);
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
