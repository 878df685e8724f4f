package org.portcullis.portal;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.portcullis.admission.Admission;
import org.portcullis.config.SecondFactor;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.policy.Requirement;
import org.portcullis.portal.guard.PortalOrigin;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.guard.SsoState;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.TossedCookies;

/**
 * What a caller gets when the policy wants more before forwarding (issue "Sign-in" §3): a browser navigation is sent
 * to the portal with the URL it asked for in {@code rd}; every other request (XHR, fetch, API clients) gets 401 with a
 * small JSON body, never a redirect it could not follow. A cookie that no longer names a good session is cleared on
 * the way.
 *
 * <p>A navigation on a protected host other than the portal's also starts the browser binding of single sign-on
 * (SECURITY-RULES 25, {@link SsoState}): the host sets its state cookie (keeping a good one the browser has) and the
 * portal URL carries the cookie's binding as {@code state}, so the callback code the portal issues later can only be
 * redeemed by this browser.
 */
public final class ChallengeResponses {
    static final String SIGN_IN_JSON = "{\"error\":\"sign_in_required\",\"message\":\"Sign in at the portal, then retry.\"}";
    static final String SECOND_FACTOR_JSON =
            "{\"error\":\"second_factor_required\",\"message\":\"Complete a second factor at the portal, then retry.\"}";

    private ChallengeResponses() {
    }

    public static PortalResponse forChallenge(Admission.Challenge challenge, HttpHeaders requestHeaders) {
        return forChallenge(challenge, requestHeaders, null);
    }

    /** @param requestId the request's id, carried in the page or JSON body as the reference to quote; may be null */
    public static PortalResponse forChallenge(Admission.Challenge challenge, HttpHeaders requestHeaders,
                                              String requestId) {
        List<PortalResponse.Header> extra = new ArrayList<>();
        if (challenge.session().cookieToClear()) {
            extra.add(new PortalResponse.Header("Set-Cookie", SessionCookie.clearingCookie()));
        }
        for (String clear : TossedCookies.clearing(requestHeaders.getAll("Cookie"), challenge.request().path())) {
            extra.add(new PortalResponse.Header("Set-Cookie", clear));
        }
        boolean signIn = challenge.requirement() instanceof Requirement.SignIn;
        Optional<PortalOrigin> portal = challenge.snapshot().portal();
        if (portal.isEmpty()) {
            return withExtra(fromErrorPage(401, ErrorPages.wantsJson(requestHeaders),
                    signIn ? "SIGN_IN_REQUIRED" : "SECOND_FACTOR_REQUIRED", requestId, challenge.snapshot()), extra);
        }
        if (!isNavigation(challenge.request().method(), requestHeaders)) {
            return PortalResponse.json(401, withRequestId(signIn ? SIGN_IN_JSON : SECOND_FACTOR_JSON, requestId),
                    signIn ? "SIGN_IN_REQUIRED" : "SECOND_FACTOR_REQUIRED", extra);
        }
        String page = signIn ? PortalPaths.LOGIN : PortalPaths.SECOND_FACTOR;
        String state = "";
        if (!portal.get().isPortalHost(challenge.request())) {
            String nonce = SsoState.nonceFor(requestHeaders.getAll(HttpHeaderNames.COOKIE));
            extra.add(new PortalResponse.Header("Set-Cookie", SsoState.setCookie(nonce)));
            state = "&" + SsoState.PARAMETER + "=" + SsoState.binding(nonce);
        }
        String location = portal.get().url(page + "?rd=" + URLEncoder.encode(originalUrl(challenge.request()),
                StandardCharsets.UTF_8) + state + needHint(challenge.requirement()));
        return PortalResponse.redirect(302, location, signIn ? "SIGN_IN_REDIRECT" : "SECOND_FACTOR_REDIRECT", extra);
    }

    /**
     * {@code &need=webauthn} when only a security key satisfies the rule, so the second-factor page can say so (and
     * lead a user without a key to register one) instead of asking for a code that would not be enough.
     */
    static String needHint(Requirement requirement) {
        Set<SecondFactor> accepted = requirement instanceof Requirement.SecondFactorRequired s ? s.accepted()
                : requirement instanceof Requirement.StepUp u ? u.accepted() : Set.of();
        return accepted.equals(Set.of(SecondFactor.WEBAUTHN)) ? "&" + PortalPaths.FIELD_NEED + "=webauthn" : "";
    }

    /**
     * A top-level browser navigation: GET or HEAD, and {@code Sec-Fetch-Mode: navigate} when the browser sends Fetch
     * metadata, else an {@code Accept} that names HTML.
     */
    public static boolean isNavigation(String method, HttpHeaders headers) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String mode = headers.get("Sec-Fetch-Mode");
        if (mode != null) {
            return "navigate".equalsIgnoreCase(mode.trim());
        }
        String accept = headers.get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    /** The URL the browser asked for, rebuilt from the canonical request: scheme, authority, path and query. */
    static String originalUrl(CanonicalRequest request) {
        return request.scheme() + "://" + request.authority() + request.forwardTarget();
    }

    /** {@code json} with {@code "request_id"} added as its last member (the id is hex, nothing to escape). */
    static String withRequestId(String json, String requestId) {
        return requestId == null ? json
                : json.substring(0, json.length() - 1) + ",\"request_id\":\"" + requestId + "\"}";
    }

    static PortalResponse fromErrorPage(int status, boolean json, String outcome) {
        return fromErrorPage(status, json, outcome, null, null);
    }

    static PortalResponse fromErrorPage(int status, boolean json, String outcome, String requestId,
                                        org.portcullis.snapshot.GatewaySnapshot snapshot) {
        FullHttpResponse page = ErrorPages.response(status, json, false, requestId, snapshot);
        try {
            byte[] body = new byte[page.content().readableBytes()];
            page.content().readBytes(body);
            List<PortalResponse.Header> headers = new ArrayList<>();
            for (Map.Entry<String, String> header : page.headers().entries()) {
                if (!header.getKey().equalsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH.toString())) {
                    headers.add(new PortalResponse.Header(header.getKey(), header.getValue()));
                }
            }
            return new PortalResponse(status, headers, body, outcome);
        } finally {
            page.release();
        }
    }

    private static PortalResponse withExtra(PortalResponse response, List<PortalResponse.Header> extra) {
        PortalResponse out = response;
        for (PortalResponse.Header header : extra) {
            out = out.with(header);
        }
        return out;
    }
}
