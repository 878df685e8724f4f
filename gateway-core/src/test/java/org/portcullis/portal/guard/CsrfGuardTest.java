package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsrfGuardTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final String O = "https://login.example.org";
    final CsrfGuard guard = newGuard();

    static CsrfGuard newGuard() {
        return new CsrfGuard(new RequestOriginCheck(PortalOrigin.of(URI.create(O)), false), new CsrfTokens(RANDOM));
    }

    static FormHeaders sameOrigin(String... cookies) {
        return new FormHeaders(List.of(O), List.of("same-origin"), List.of(cookies));
    }

    @Test
    void aLoginPostWithMatchingCookieAndFieldIsAllowed() {
        String token = guard.loginToken(sameOrigin());
        String cookie = CsrfCookie.setCookie(token).split(";")[0];
        CsrfVerdict verdict = guard.checkLogin(sameOrigin(cookie), token);
        assertThat(verdict).isEqualTo(new CsrfVerdict(CsrfVerdict.Outcome.ALLOWED, RequestOriginCheck.Outcome.ALLOWED));
        assertThat(verdict.allowed()).isTrue();
    }

    @Test
    void theLoginPageKeepsAnExistingTokenSoTwoTabsBothWork() {
        String first = guard.loginToken(sameOrigin());
        assertThat(guard.loginToken(sameOrigin(CsrfCookie.NAME + "=" + first))).isEqualTo(first);
        assertThat(guard.loginToken(sameOrigin(CsrfCookie.NAME + "=junk"))).isNotEqualTo(first);
    }

    @Test
    void aCrossSiteLoginPostIsRefusedBeforeTheTokenIsLookedAt() {
        String token = guard.loginToken(sameOrigin());
        FormHeaders forged = new FormHeaders(List.of("https://evil.com"), List.of("cross-site"),
                List.of(CsrfCookie.NAME + "=" + token));
        CsrfVerdict verdict = guard.checkLogin(forged, token);
        assertThat(verdict.outcome()).isEqualTo(CsrfVerdict.Outcome.ORIGIN_REFUSED);
        assertThat(verdict.origin()).isEqualTo(RequestOriginCheck.Outcome.ORIGIN_MISMATCH);
        assertThat(verdict.allowed()).isFalse();
    }

    @Test
    void aLoginPostWithoutTheCookieOrTheFieldIsRefused() {
        String token = guard.loginToken(sameOrigin());
        String other = guard.loginToken(sameOrigin());
        String cookie = CsrfCookie.NAME + "=" + token;
        assertThat(guard.checkLogin(sameOrigin(), token).outcome()).isEqualTo(CsrfVerdict.Outcome.COOKIE_ABSENT);
        assertThat(guard.checkLogin(sameOrigin(cookie), null).outcome()).isEqualTo(CsrfVerdict.Outcome.TOKEN_MISSING);
        assertThat(guard.checkLogin(sameOrigin(cookie), "").outcome()).isEqualTo(CsrfVerdict.Outcome.TOKEN_MISSING);
        assertThat(guard.checkLogin(sameOrigin(cookie), other).outcome())
                .isEqualTo(CsrfVerdict.Outcome.TOKEN_MISMATCH);
        assertThat(guard.checkLogin(sameOrigin(cookie + "; " + CsrfCookie.NAME + "=" + other), other).outcome())
                .isEqualTo(CsrfVerdict.Outcome.COOKIE_DUPLICATE);
        assertThat(guard.checkLogin(sameOrigin(CsrfCookie.NAME + "="), "").outcome())
                .isEqualTo(CsrfVerdict.Outcome.COOKIE_MALFORMED);
    }

    @Test
    void aSessionFormNeedsTheTokenStoredInThatSession() {
        String token = guard.newToken();
        String rotated = guard.newToken();

        assertThat(guard.checkStoredToken(sameOrigin(), token, token).allowed()).isTrue();
        assertThat(guard.checkStoredToken(sameOrigin(), rotated, token).outcome())
                .isEqualTo(CsrfVerdict.Outcome.TOKEN_MISMATCH);
        assertThat(guard.checkStoredToken(sameOrigin(), token, null).outcome())
                .isEqualTo(CsrfVerdict.Outcome.TOKEN_MISSING);
        assertThat(guard.checkStoredToken(sameOrigin(), "", "").outcome())
                .isEqualTo(CsrfVerdict.Outcome.TOKEN_MISSING);
        FormHeaders nullOrigin = new FormHeaders(List.of("null"), List.of(), List.of());
        CsrfVerdict refused = guard.checkStoredToken(nullOrigin, token, token);
        assertThat(refused.outcome()).isEqualTo(CsrfVerdict.Outcome.ORIGIN_REFUSED);
        assertThat(refused.origin()).isEqualTo(RequestOriginCheck.Outcome.ORIGIN_NULL);
        FormHeaders noHeaders = new FormHeaders(List.of(), List.of(), List.of());
        assertThat(guard.checkStoredToken(noHeaders, token, token).origin())
                .isEqualTo(RequestOriginCheck.Outcome.HEADERS_MISSING);
    }

    @Test
    void aStoredTokenIsComparedInFull() {
        String stored = guard.newToken();
        assertThat(guard.checkStoredToken(sameOrigin(), stored, stored).allowed()).isTrue();
        assertThat(guard.checkStoredToken(sameOrigin(), stored, guard.newToken()).outcome())
                .isEqualTo(CsrfVerdict.Outcome.TOKEN_MISMATCH);
        assertThat(guard.checkStoredToken(sameOrigin(), null, stored).outcome())
                .isEqualTo(CsrfVerdict.Outcome.TOKEN_MISMATCH);
    }

    @Test
    void formHeadersNeverPrintTheirValues() {
        assertThat(sameOrigin("__Host-portcullis-csrf=secret").toString()).doesNotContain("secret");
    }
}
