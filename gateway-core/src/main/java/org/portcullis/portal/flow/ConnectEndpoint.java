package org.portcullis.portal.flow;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.portcullis.config.TcpTargetConfig;
import org.portcullis.policy.AuthState;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.tcp.ConnectGrants;
import org.portcullis.tcp.TcpConnect;
import org.portcullis.tcp.TcpTargets;

/**
 * The portal's half of the loopback sign-in of {@code portcullis connect} (issue 17; RFC 8252 §7.3 with RFC 7636
 * PKCE, S256 only):
 * <ul>
 *   <li>{@code GET} {@value PortalPaths#CONNECT_AUTHORIZE}: a browser with a session signed in with two factors (of a
 *       kind the target accepts) whose user the {@code tcp_targets} entry allows is sent to the command's loopback
 *       {@code redirect_uri} with a one-time code and the command's {@code state}. Without a session it goes through
 *       the portal's normal sign-in first and comes back here. The {@code redirect_uri} must be {@code http} on a
 *       loopback address ({@code 127.0.0.1}, {@code [::1]}, {@code localhost}) with a port: the code never leaves the
 *       machine the browser runs on, and a malformed request is answered with a page, never a redirect.</li>
 *   <li>{@code POST} {@value PortalPaths#CONNECT_TOKEN}: the command exchanges the code with its PKCE verifier and the
 *       same redirect URI for a token ({@link ConnectGrants}). No cookie is involved, so there is no CSRF check: the
 *       code and the verifier are the credential, and the code works once.</li>
 * </ul>
 */
final class ConnectEndpoint {
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9._~-]{16,128}");
    private static final int MAX_REDIRECT_CHARS = 256;

    private final ConnectGrants grants;

    ConnectEndpoint(ConnectGrants grants) {
        this.grants = grants;
    }

    ConnectGrants grants() {
        return grants;
    }

    PortalResponse authorize(PortalRequest request) {
        PortalSite site = PortalContext.site(request);
        FormBody query = PortalContext.query(request);
        String targetName = query.text("target");
        String redirectUri = query.text("redirect_uri");
        String state = query.text("state");
        String challenge = query.text("code_challenge");
        if (!loopbackRedirect(redirectUri) || !STATE.matcher(state).matches()
                || !ConnectGrants.validChallenge(challenge) || !"S256".equals(query.text("code_challenge_method"))
                || !"code".equals(query.text("response_type")) || !TcpConnect.validName(targetName)) {
            return error(site, request, 400, "This sign-in link is not valid",
                    "Start portcullis connect again on your computer.", "CONNECT_BAD_REQUEST");
        }
        Optional<TcpTargetConfig> target = TcpTargets.named(request.snapshot().config(), targetName);
        if (target.isEmpty()) {
            return error(site, request, 404, "No such service",
                    "The gateway has no service called " + targetName + ".", "CONNECT_NOT_FOUND");
        }
        ResolvedSession session = request.session();
        if (!session.signedIn()) {
            // The portal's normal sign-in (both factors), which comes back here with the same query.
            return PortalResponse.redirect(303, PortalContext.loginPath(request.path() + "?" + request.request()
                    .query()), "TO_LOGIN", List.of());
        }
        AuthState.SignedIn signedIn = (AuthState.SignedIn) session.authState();
        if (!TcpConnect.hasTwoFactors(signedIn, target.get())) {
            return error(site, request, 403, "Two factors needed",
                    "Connecting to " + targetName + " needs a sign-in with your second factor. Sign out, then sign in"
                            + " again with your authenticator app or security key.", "CONNECT_TWO_FACTORS_REQUIRED");
        }
        if (!target.get().allows(signedIn.identity().user(), signedIn.identity().groups())) {
            return error(site, request, 403, "Not allowed",
                    "Your account may not connect to " + targetName + ".", "CONNECT_TARGET_NOT_ALLOWED");
        }
        Optional<String> code = grants.issueCode(session.id(), targetName, session.session().absoluteExpiry(),
                redirectUri, challenge);
        if (code.isEmpty()) {
            return error(site, request, 503, "Busy", "Too many sign-ins are waiting. Try again in a minute.",
                    "CONNECT_BUSY");
        }
        return PortalResponse.redirect(302, redirectUri + "?code=" + code.get() + "&state="
                + URLEncoder.encode(state, StandardCharsets.US_ASCII), "CONNECT_CODE_ISSUED",
                List.of(new PortalResponse.Header("Cache-Control", "no-store"),
                        new PortalResponse.Header("Referrer-Policy", "no-referrer")));
    }

    PortalResponse token(PortalRequest request) {
        Optional<FormBody> form = FormBody.parse(request.body());
        Optional<String> token = form.filter(f -> "authorization_code".equals(f.text("grant_type")))
                .flatMap(f -> grants.redeem(f.text("code"), f.text("code_verifier"), f.text("redirect_uri")));
        List<PortalResponse.Header> noStore = List.of(new PortalResponse.Header("Cache-Control", "no-store"));
        if (token.isEmpty()) {
            return PortalResponse.json(400, "{\"error\":\"invalid_grant\"}", "CONNECT_CODE_REFUSED", noStore);
        }
        return PortalResponse.json(200, "{\"access_token\":\"" + token.get() + "\",\"token_type\":\"Bearer\"}",
                "CONNECT_TOKEN_ISSUED", noStore);
    }

    /**
     * {@code http://127.0.0.1:PORT/PATH}, {@code http://[::1]:PORT/PATH} or {@code http://localhost:PORT/PATH}: no
     * user info, query or fragment, a port, a path of safe characters.
     */
    static boolean loopbackRedirect(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_REDIRECT_CHARS) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return false;
        }
        String host = uri.getHost();
        return "http".equals(uri.getScheme()) && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getPort() > 0 && uri.getPort() <= 65535 && host != null
                && (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost"))
                && uri.getRawPath() != null && uri.getRawPath().matches("/[A-Za-z0-9/_-]{0,64}")
                && text.equals("http://" + host + ":" + uri.getPort() + uri.getRawPath());
    }

    private static PortalResponse error(PortalSite site, PortalRequest request, int status, String title,
                                        String message, String outcome) {
        return PortalContext.page(site, site.pages().error(status, title, message, request.requestId(),
                PortalPaths.HOME, "Your account"), outcome);
    }
}
