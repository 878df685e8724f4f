package org.portcullis.portal.flow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.TcpTargetConfig;
import org.portcullis.policy.AuthState;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.Html;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.tcp.ConnectGrants;
import org.portcullis.tcp.DeviceCodes;
import org.portcullis.tcp.TcpConnect;
import org.portcullis.tcp.TcpTargets;

/**
 * The device-code sign-in of {@code portcullis connect} (RFC 8628; issue 17), for computers without a browser. Off
 * unless {@code connect.device_code} is true: it is a known phishing route (docs/connect.md). When on:
 * <ul>
 *   <li>{@code POST} {@value PortalPaths#CONNECT_DEVICE} ({@code target=NAME}, no cookie): a device code for the
 *       command and a short user code for the person, and where to type it;</li>
 *   <li>{@code GET} {@value PortalPaths#CONNECT_DEVICE_APPROVE}: after the portal's normal two-factor sign-in, a form
 *       to type the user code, then the request (the target, the address that asked, when) with "Approve" and
 *       "Deny"; {@code POST} (the session's CSRF token) decides;</li>
 *   <li>{@code POST} {@value PortalPaths#CONNECT_TOKEN} with {@code grant_type} {@value #GRANT_TYPE}: the command's
 *       poll; once approved, the same token the loopback sign-in gives, bound to the approving session and target.</li>
 * </ul>
 * There is deliberately no {@code verification_uri_complete}: the person types the code their own terminal shows, so
 * a link with a code in it, sent by someone else, approves nothing by a click.
 */
final class DeviceCodeEndpoint {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    static final String FIELD_USER_CODE = "user_code";
    static final String FIELD_DECISION = "decision";
    static final String TITLE = "Approve portcullis connect";
    /** The loopback sign-in's redirect field, filled for a device grant with a name no browser can be sent to. */
    private static final String DEVICE_REDIRECT = "urn:portcullis:device";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final List<PortalResponse.Header> NO_STORE = List.of(
            new PortalResponse.Header("Cache-Control", "no-store"));

    private final PortalContext context;
    private final DeviceCodes codes;
    private final ConnectGrants grants;
    private final SecureRandom random;

    DeviceCodeEndpoint(PortalContext context, DeviceCodes codes, ConnectGrants grants, SecureRandom random) {
        this.context = context;
        this.codes = codes;
        this.grants = grants;
        this.random = random;
    }

    static boolean enabled(PortalRequest request) {
        return request.snapshot().config().connect().deviceCode();
    }

    /** The command asks for a pair of codes. */
    PortalResponse start(PortalRequest request) {
        if (!enabled(request)) {
            record(request, AuditOutcome.FAILURE, "disabled", null);
            return disabled(403);
        }
        String name = FormBody.parse(request.body()).map(f -> f.text("target")).orElse("");
        if (!TcpConnect.validName(name) || TcpTargets.named(request.snapshot().config(), name).isEmpty()) {
            return PortalResponse.json(404, "{\"error\":\"connect_not_found\"}", "CONNECT_NOT_FOUND", NO_STORE);
        }
        Optional<DeviceCodes.Issued> issued = codes.issue(name, request.sourceIp());
        if (issued.isEmpty()) {
            return PortalResponse.json(503, "{\"error\":\"busy\"}", "CONNECT_BUSY", NO_STORE);
        }
        record(request, AuditOutcome.SUCCESS, "code_issued", null);
        String uri = PortalContext.site(request).origin().url(PortalPaths.CONNECT_DEVICE_APPROVE);
        return PortalResponse.json(200, "{\"device_code\":\"" + issued.get().deviceCode() + "\",\"user_code\":\""
                + issued.get().userCode() + "\",\"verification_uri\":\"" + uri + "\",\"expires_in\":"
                + DeviceCodes.LIFETIME.toSeconds() + ",\"interval\":" + DeviceCodes.INTERVAL.toSeconds() + "}",
                "CONNECT_DEVICE_CODE", NO_STORE);
    }

    /** True for a token request of this grant type (the loopback sign-in's exchange shares the path). */
    static boolean isDeviceGrant(PortalRequest request) {
        return FormBody.parse(request.body()).map(f -> GRANT_TYPE.equals(f.text("grant_type"))).orElse(false);
    }

    /** The command polls. */
    PortalResponse token(PortalRequest request) {
        if (!enabled(request)) {
            return disabled(400);
        }
        String deviceCode = FormBody.parse(request.body()).map(f -> f.text("device_code")).orElse("");
        DeviceCodes.Poll poll = codes.poll(deviceCode);
        String error = switch (poll.state()) {
            case PENDING -> "authorization_pending";
            case DENIED -> "access_denied";
            case EXPIRED -> "expired_token";
            case UNKNOWN -> "invalid_grant";
            case APPROVED -> null;
        };
        if (error != null) {
            return PortalResponse.json(400, "{\"error\":\"" + error + "\"}", "CONNECT_DEVICE_" + error.toUpperCase(),
                    NO_STORE);
        }
        // The loopback sign-in's one token table: a code bound to a verifier only this call knows, redeemed at once.
        DeviceCodes.Approval approval = poll.approval();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Optional<String> token = grants.issueCode(approval.session(), approval.target(), approval.sessionExpiry(),
                DEVICE_REDIRECT, ConnectGrants.challengeOf(verifier))
                .flatMap(code -> grants.redeem(code, verifier, DEVICE_REDIRECT));
        if (token.isEmpty()) {
            return PortalResponse.json(503, "{\"error\":\"busy\"}", "CONNECT_BUSY", NO_STORE);
        }
        return PortalResponse.json(200, "{\"access_token\":\"" + token.get() + "\",\"token_type\":\"Bearer\"}",
                "CONNECT_TOKEN_ISSUED", NO_STORE);
    }

    CompletableFuture<PortalResponse> show(PortalRequest request) {
        if (!enabled(request)) {
            record(request, AuditOutcome.FAILURE, "disabled", null);
            return done(page(request, 404, "<p>Device-code sign-in is turned off on this gateway. Run portcullis"
                    + " connect on a computer with a browser.</p>", "CONNECT_DEVICE_DISABLED"));
        }
        String typed = PortalContext.query(request).text(FIELD_USER_CODE);
        if (!request.session().signedIn()) {
            String back = PortalPaths.CONNECT_DEVICE_APPROVE + (typed.isEmpty() ? ""
                    : "?" + FIELD_USER_CODE + "=" + URLEncoder.encode(typed, StandardCharsets.UTF_8));
            return done(PortalResponse.redirect(303, PortalContext.loginPath(back), "TO_LOGIN", List.of()));
        }
        if (typed.isEmpty()) {
            return done(page(request, 200, "<p>Type the code that portcullis connect shows on the computer you are"
                    + " connecting from.</p>\n<form method=\"get\" action=\"" + PortalPaths.CONNECT_DEVICE_APPROVE
                    + "\">\n<label for=\"user_code\">Code</label>\n<input id=\"user_code\" name=\"" + FIELD_USER_CODE
                    + "\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"/>\n"
                    + "<button type=\"submit\">Continue</button>\n</form>\n", "CONNECT_DEVICE_FORM"));
        }
        Optional<PortalResponse> refused = refusal(request, typed);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        DeviceCodes.Request asked = codes.request(typed).orElseThrow();
        String csrf = PortalContext.attribute(request, PortalContext.CSRF).orElse("");
        StringBuilder html = new StringBuilder(1024);
        html.append("<p><strong>Approve only if you started portcullis connect yourself, just now, on the computer")
                .append(" at this address.</strong> If someone sent you this code, deny: approving would let them")
                .append(" use your sign-in.</p>\n<dl class=\"connect-request\">\n");
        row(html, "Service", asked.target());
        row(html, "Asked from address", asked.source());
        row(html, "Asked at", TIME.format(asked.requested()));
        row(html, "Code valid until", TIME.format(asked.expires()));
        html.append("</dl>\n<form method=\"post\" action=\"").append(PortalPaths.CONNECT_DEVICE_APPROVE)
                .append("\">\n<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(csrf))
                .append("\"/>\n<input type=\"hidden\" name=\"").append(FIELD_USER_CODE).append("\" value=\"")
                .append(Html.escape(typed)).append("\"/>\n<button type=\"submit\" name=\"").append(FIELD_DECISION)
                .append("\" value=\"approve\">Approve</button>\n<button type=\"submit\" name=\"")
                .append(FIELD_DECISION).append("\" value=\"deny\">Deny</button>\n</form>\n");
        return done(page(request, 200, html.toString(), "CONNECT_DEVICE_REQUEST"));
    }

    CompletableFuture<PortalResponse> decide(PortalRequest request) {
        if (!enabled(request)) {
            record(request, AuditOutcome.FAILURE, "disabled", null);
            return done(page(request, 404, "<p>Device-code sign-in is turned off on this gateway.</p>",
                    "CONNECT_DEVICE_DISABLED"));
        }
        if (!request.session().signedIn()) {
            return done(PortalContext.toLogin(request));
        }
        Optional<FormBody> form = FormBody.parse(request.body());
        String typed = form.map(f -> f.text(FIELD_USER_CODE)).orElse("");
        String decision = form.map(f -> f.text(FIELD_DECISION)).orElse("");
        Optional<PortalResponse> refused = refusal(request, typed);
        if (refused.isPresent()) {
            return done(refused.get());
        }
        String user = request.session().user().username();
        if ("approve".equals(decision)) {
            DeviceCodes.Request asked = codes.request(typed).orElseThrow();
            if (codes.approve(typed, new DeviceCodes.Approval(request.session().id(), asked.target(),
                    request.session().session().absoluteExpiry()))) {
                record(request, AuditOutcome.SUCCESS, "approved", user);
                return done(page(request, 200, "<p>Approved. portcullis connect on that computer is signed in to "
                        + Html.escape(asked.target()) + " now.</p>", "CONNECT_DEVICE_APPROVED"));
            }
        } else if ("deny".equals(decision) && codes.deny(typed)) {
            record(request, AuditOutcome.FAILURE, "denied", user);
            return done(page(request, 200, "<p>Denied. That computer gets no access.</p>", "CONNECT_DEVICE_DENIED"));
        }
        record(request, AuditOutcome.FAILURE, "used", user);
        return done(page(request, 410, "<p>This code can no longer be approved.</p>", "CONNECT_DEVICE_USED"));
    }

    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        record(request, AuditOutcome.FAILURE, "csrf_" + verdict.outcome().name().toLowerCase(),
                request.session().signedIn() ? request.session().user().username() : null);
        return done(page(request, 403, "<p>This form expired. Type the code again.</p>", "CSRF_REFUSED"));
    }

    /** Why this signed-in session may not decide {@code typed}, as the page that says so; empty when it may. */
    private Optional<PortalResponse> refusal(PortalRequest request, String typed) {
        String user = request.session().user().username();
        DeviceCodes.Lookup lookup = codes.lookup(typed);
        if (lookup != DeviceCodes.Lookup.OPEN) {
            String reason = lookup == DeviceCodes.Lookup.UNKNOWN ? "unknown_code"
                    : lookup == DeviceCodes.Lookup.EXPIRED ? "expired" : "used";
            record(request, AuditOutcome.FAILURE, reason, user);
            String text = lookup == DeviceCodes.Lookup.UNKNOWN ? "This code is not valid. Check it and type it again."
                    : lookup == DeviceCodes.Lookup.EXPIRED ? "This code expired (it works for 5 minutes). Start"
                    + " portcullis connect again." : "This code was already used: it works once.";
            return Optional.of(page(request, lookup == DeviceCodes.Lookup.UNKNOWN ? 404 : 410, "<p>" + text
                    + "</p>", "CONNECT_DEVICE_" + reason.toUpperCase()));
        }
        DeviceCodes.Request asked = codes.request(typed).orElseThrow();
        Optional<TcpTargetConfig> target = TcpTargets.named(request.snapshot().config(), asked.target());
        AuthState.SignedIn signedIn = (AuthState.SignedIn) request.session().authState();
        if (target.isEmpty() || !target.get().allows(user, signedIn.identity().groups())) {
            record(request, AuditOutcome.FAILURE, "target_not_allowed", user);
            return Optional.of(page(request, 403, "<p>Your account may not connect to " + Html.escape(asked.target())
                    + ".</p>", "CONNECT_TARGET_NOT_ALLOWED"));
        }
        if (!TcpConnect.hasTwoFactors(signedIn, target.get())) {
            record(request, AuditOutcome.FAILURE, "two_factors_required", user);
            return Optional.of(page(request, 403, "<p>Approving needs a sign-in with your second factor (of a kind "
                    + Html.escape(asked.target()) + " accepts). Sign out, then sign in again with it.</p>",
                    "CONNECT_TWO_FACTORS_REQUIRED"));
        }
        return Optional.empty();
    }

    private void record(PortalRequest request, AuditOutcome outcome, String reason, String user) {
        context.record(SignInEvent.ACTION_CONNECT_DEVICE, outcome, reason, user, request,
                request.session().sessionHash());
    }

    private static PortalResponse disabled(int status) {
        return PortalResponse.json(status, "{\"error\":\"device_code_disabled\",\"error_description\":\"device-code"
                + " sign-in is turned off on this gateway (connect.device_code)\"}", "CONNECT_DEVICE_DISABLED",
                NO_STORE);
    }

    private static PortalResponse page(PortalRequest request, int status, String html, String outcome) {
        PortalSite site = PortalContext.site(request);
        return PortalContext.page(site, site.pages().layout().page(status, TITLE, "<h1>" + TITLE + "</h1>\n" + html),
                outcome);
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<dt>").append(name).append("</dt><dd>").append(Html.escape(value)).append("</dd>\n");
    }

    private static CompletableFuture<PortalResponse> done(PortalResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
