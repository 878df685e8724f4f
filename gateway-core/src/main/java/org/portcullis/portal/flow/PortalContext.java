package org.portcullis.portal.flow;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.SignInEvent;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfTokens;
import org.portcullis.portal.guard.FormHeaders;
import org.portcullis.portal.page.PortalHeaders;
import org.portcullis.portal.page.PortalPage;
import org.portcullis.session.Session;
import org.portcullis.snapshot.PortalSite;

/** What every endpoint shares: the audit trail, the CSRF tokens, and small helpers. */
final class PortalContext {
    /** Session attribute: the id of the sign-in the session belongs to (one per password sign-in, shared by SSO). */
    static final String SIGN_IN_ID = "sign_in";
    /** Session attribute: the token every form of this session must carry (SECURITY-RULES 17). */
    static final String CSRF = "csrf";
    /** Session attribute: where a session marked second-factor-due goes once the factor is done. */
    static final String SECOND_FACTOR_RD = "second_factor_rd";
    /** Session attribute: {@code host:binding}, the SSO state of the browser for {@link #SECOND_FACTOR_RD}'s host. */
    static final String SECOND_FACTOR_STATE = "second_factor_state";
    /** Session attribute: the id of the authenticator this session is enrolling (pending until confirmed). */
    static final String ENROL_CREDENTIAL = "enrol_credential";

    final CsrfTokens tokens;
    final AuditSink audit;

    PortalContext(AuditSink audit, CsrfTokens tokens) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /**
     * {@code set} plus a fresh {@link #CSRF} token: every rotation of a session's id renews its CSRF token, so a token
     * that leaked before a factor was completed does not work after it (SECURITY-RULES 11, 17).
     */
    Map<String, String> renewedCsrf(Map<String, String> set) {
        Map<String, String> renewed = new java.util.HashMap<>(set);
        renewed.put(CSRF, tokens.newToken());
        return Map.copyOf(renewed);
    }

    static PortalSite site(PortalRequest request) {
        return request.snapshot().portalSite().orElseThrow(() -> new IllegalStateException("portal not configured"));
    }

    static FormHeaders formHeaders(PortalRequest request) {
        HttpHeaders headers = request.request().headers();
        return new FormHeaders(headers.getAll(HttpHeaderNames.ORIGIN), headers.getAll("Sec-Fetch-Site"),
                headers.getAll(HttpHeaderNames.COOKIE));
    }

    /** The query's fields; a malformed query reads as no fields at all. */
    static FormBody query(PortalRequest request) {
        return FormBody.parse(request.request().query()).orElseGet(() -> FormBody.parse("").orElseThrow());
    }

    /** A rendered page with the portal's security headers, plus {@code extra} headers (cookies). */
    static PortalResponse page(PortalSite site, PortalPage page, String outcome, PortalResponse.Header... extra) {
        List<PortalResponse.Header> headers = new ArrayList<>();
        for (PortalHeaders.Header header : site.pages().headers().headers()) {
            headers.add(new PortalResponse.Header(header.name(), header.value()));
        }
        headers.addAll(List.of(extra));
        return new PortalResponse(page.status(), headers, page.body(), outcome);
    }

    /** A rendered page with {@code pageHeaders} (the script pages' CSP, {@link PortalHeaders#withOwnScript()}). */
    static PortalResponse withHeaders(PortalHeaders pageHeaders, PortalPage page, String outcome,
                                      PortalResponse.Header... extra) {
        List<PortalResponse.Header> headers = new ArrayList<>();
        for (PortalHeaders.Header header : pageHeaders.headers()) {
            headers.add(new PortalResponse.Header(header.name(), header.value()));
        }
        headers.addAll(List.of(extra));
        return new PortalResponse(page.status(), headers, page.body(), outcome);
    }

    static PortalResponse.Header setCookie(String value) {
        return new PortalResponse.Header("Set-Cookie", value);
    }

    void record(String action, AuditOutcome outcome, String reason, String user, PortalRequest request,
                String sessionHash) {
        audit.record(new SignInEvent(action, outcome, reason, user, request.sourceIp(), request.request().host(),
                sessionHash, request.requestId()));
    }

    /** The portal's {@code rd} for the form: the field when the form has one, else the session's saved one. */
    static String returnTo(PortalRequest request, FormBody form) {
        String rd = form == null ? "" : form.text(org.portcullis.portal.guard.PortalPaths.FIELD_RD);
        return rd.isEmpty() ? attribute(request, SECOND_FACTOR_RD).orElse("") : rd;
    }

    /** To the sign-in page, dropping a cookie that no longer names a good session. */
    static PortalResponse toLogin(PortalRequest request) {
        List<PortalResponse.Header> clear = request.session().cookieToClear()
                ? List.of(setCookie(org.portcullis.session.SessionCookie.clearingCookie())) : List.of();
        return PortalResponse.redirect(303, org.portcullis.portal.guard.PortalPaths.LOGIN, "TO_LOGIN", clear);
    }

    /**
     * The portal path that continues to {@code rd} for a signed-in browser: the sign-in page, which continues at once
     * (and checks {@code rd} again), or the account home when there is no {@code rd}.
     */
    static String loginPath(String rd) {
        return rd.isEmpty() ? org.portcullis.portal.guard.PortalPaths.HOME
                : org.portcullis.portal.guard.PortalPaths.LOGIN + "?"
                + org.portcullis.portal.guard.PortalPaths.FIELD_RD + "="
                + java.net.URLEncoder.encode(rd, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Optional<String> attribute(PortalRequest request, String name) {
        return request.session().session() == null ? Optional.empty()
                : Optional.ofNullable(request.session().session().attributes().get(name));
    }
}
