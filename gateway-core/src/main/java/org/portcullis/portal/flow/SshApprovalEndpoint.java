package org.portcullis.portal.flow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.policy.AuthFactor;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.Html;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.ssh.SshApprovals;

/**
 * The page an SSH jump host's approval link opens ({@value PortalPaths#SSH_APPROVE}{@code ?c=…}, issue 17): a user
 * whose second factor is a security key approves one waiting SSH connection here, in a browser signed in with two
 * factors.
 * <ul>
 *   <li>{@code GET}: without a session, the portal's normal sign-in first (password and security key), which comes
 *       back here. Then the connection's source address, the user, the targets they may reach and the times, with
 *       "Approve" and "This was not me".</li>
 *   <li>{@code POST} (the session's CSRF token, SECURITY-RULES 17): the decision.</li>
 * </ul>
 * A link of another account, or opened by a session without a second factor, is refused and void from then on, and
 * the waiting SSH sign-in fails (rule 25: a link opened by another browser signs nobody in). Every visit that decides
 * something, or is refused, is an {@code ssh.approve} audit line.
 */
final class SshApprovalEndpoint {
    static final String FIELD_LINK = "c";
    static final String FIELD_DECISION = "decision";
    static final String APPROVE = "approve";
    static final String DENY = "deny";
    static final String TITLE = "Approve an SSH connection";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PortalContext context;
    private final SshApprovals approvals;

    SshApprovalEndpoint(PortalContext context, SshApprovals approvals) {
        this.context = context;
        this.approvals = approvals;
    }

    CompletableFuture<PortalResponse> show(PortalRequest request) {
        String link = PortalContext.query(request).text(FIELD_LINK);
        if (!request.session().signedIn()) {
            // The portal's normal sign-in (both factors), which comes back to this very link.
            return done(PortalResponse.redirect(303, PortalContext.loginPath(PortalPaths.SSH_APPROVE + "?"
                    + FIELD_LINK + "=" + java.net.URLEncoder.encode(link, java.nio.charset.StandardCharsets.UTF_8)),
                    "TO_LOGIN", List.of()));
        }
        SshApprovals.Visit visit = approvals.visit(link, user(request), secondFactor(request.session()), false);
        if (visit.verdict() != SshApprovals.Verdict.OPEN) {
            return done(refused(request, visit.verdict()));
        }
        SshApprovals.Request asked = visit.request();
        String csrf = PortalContext.attribute(request, PortalContext.CSRF).orElse("");
        StringBuilder html = new StringBuilder(1024);
        html.append("<h1>").append(TITLE).append("</h1>\n")
                .append("<p>Someone signed in to the SSH jump host with your password and asks to continue with your"
                        + " security key. Approve only if it is you, right now.</p>\n<dl class=\"ssh-request\">\n");
        row(html, "Account", asked.user());
        row(html, "From address", asked.source());
        row(html, "Targets", asked.targets().isEmpty() ? "(none)" : String.join(", ", asked.targets()));
        row(html, "Asked at", TIME.format(asked.requested()));
        row(html, "Link valid until", TIME.format(asked.expires()));
        html.append("</dl>\n<form method=\"post\" action=\"").append(PortalPaths.SSH_APPROVE).append("\">\n")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(csrf)).append("\"/>\n")
                .append("<input type=\"hidden\" name=\"").append(FIELD_LINK).append("\" value=\"")
                .append(Html.escape(link)).append("\"/>\n")
                .append("<button type=\"submit\" name=\"").append(FIELD_DECISION).append("\" value=\"")
                .append(APPROVE).append("\">Approve</button>\n")
                .append("<button type=\"submit\" name=\"").append(FIELD_DECISION).append("\" value=\"").append(DENY)
                .append("\">This was not me</button>\n</form>\n");
        PortalSite site = PortalContext.site(request);
        return done(PortalContext.page(site, site.pages().layout().page(200, TITLE, html.toString()),
                "SSH_APPROVAL"));
    }

    CompletableFuture<PortalResponse> decide(PortalRequest request) {
        if (!request.session().signedIn()) {
            return done(PortalContext.toLogin(request));
        }
        Optional<FormBody> form = FormBody.parse(request.body());
        String link = form.map(f -> f.text(FIELD_LINK)).orElse("");
        String decision = form.map(f -> f.text(FIELD_DECISION)).orElse("");
        Optional<AuthFactor> factor = secondFactor(request.session());
        SshApprovals.Visit visit = DENY.equals(decision) ? approvals.deny(link, user(request), factor)
                : APPROVE.equals(decision) ? approvals.visit(link, user(request), factor, true)
                : new SshApprovals.Visit(SshApprovals.Verdict.UNKNOWN, null);
        if (visit.verdict() != SshApprovals.Verdict.OPEN) {
            return done(refused(request, visit.verdict()));
        }
        boolean approved = APPROVE.equals(decision);
        context.record(SignInEvent.ACTION_SSH_APPROVE, approved ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                approved ? "approved" : "denied", user(request), request, request.session().sessionHash());
        PortalSite site = PortalContext.site(request);
        String text = approved ? "<p>Approved. Go back to your terminal and press Enter if it still waits.</p>\n"
                : "<p>Refused. The SSH connection is closed. If you did not try to connect, change your password"
                + " and tell your IT service desk.</p>\n";
        return done(PortalContext.page(site, site.pages().layout().page(200, TITLE, "<h1>" + TITLE + "</h1>\n"
                + text), approved ? "SSH_APPROVED" : "SSH_DENIED"));
    }

    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        context.record(SignInEvent.ACTION_SSH_APPROVE, AuditOutcome.FAILURE,
                "csrf_" + verdict.outcome().name().toLowerCase(), user(request), request,
                request.session().sessionHash());
        return done(page(request, 403, "This form expired. Open the link from your terminal again.",
                "CSRF_REFUSED"));
    }

    /** The refusal page and its audit line; the reason codes are listed in docs/audit-log.md. */
    private PortalResponse refused(PortalRequest request, SshApprovals.Verdict verdict) {
        String reason = switch (verdict) {
            case UNKNOWN -> "unknown_link";
            case USED -> "used";
            case EXPIRED -> "expired";
            case CANCELLED -> "connection_gone";
            case OTHER_USER -> "other_user";
            case NO_SECOND_FACTOR -> "no_second_factor";
            case OPEN -> throw new IllegalArgumentException("not a refusal");
        };
        context.record(SignInEvent.ACTION_SSH_APPROVE, AuditOutcome.FAILURE, reason, user(request), request,
                request.session().sessionHash());
        String message = switch (verdict) {
            case UNKNOWN -> "This approval link is not valid. Connect with SSH again for a new one.";
            case USED -> "This approval link was already used: it works once. Connect with SSH again for a new one.";
            case EXPIRED -> "This approval link expired: it works for 2 minutes. Connect with SSH again for a new one.";
            case CANCELLED -> "The SSH connection that asked for this approval has ended.";
            case OTHER_USER -> "This approval link belongs to another account. It no longer works for anyone: the"
                    + " SSH sign-in that showed it has been refused.";
            case NO_SECOND_FACTOR -> "Approving needs a sign-in with your second factor. This link no longer works;"
                    + " sign in with your security key, then connect with SSH again.";
            case OPEN -> throw new IllegalArgumentException("not a refusal");
        };
        int status = verdict == SshApprovals.Verdict.UNKNOWN ? 404 : verdict == SshApprovals.Verdict.OTHER_USER
                || verdict == SshApprovals.Verdict.NO_SECOND_FACTOR ? 403 : 410;
        return page(request, status, message, "SSH_APPROVAL_" + reason.toUpperCase());
    }

    private static PortalResponse page(PortalRequest request, int status, String message, String outcome) {
        PortalSite site = PortalContext.site(request);
        return PortalContext.page(site, site.pages().layout().page(status, TITLE, "<h1>" + TITLE + "</h1>\n<p>"
                + Html.escape(message) + "</p>\n"), outcome);
    }

    /** The session's most recent second factor: what the SSH session will record as its own. */
    static Optional<AuthFactor> secondFactor(ResolvedSession session) {
        if (!session.signedIn()) {
            return Optional.empty();
        }
        return session.session().factors().entrySet().stream().filter(e -> !e.getKey().isFirstFactor())
                .max(Comparator.comparing(Map.Entry<AuthFactor, Instant>::getValue)).map(Map.Entry::getKey);
    }

    private static String user(PortalRequest request) {
        return request.session().signedIn() ? request.session().user().username() : null;
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<dt>").append(name).append("</dt><dd>").append(Html.escape(value)).append("</dd>\n");
    }

    private static CompletableFuture<PortalResponse> done(PortalResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
