package org.portcullis.portal.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.config.RemoteDesktopConfig;
import org.portcullis.portal.FormBody;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.Html;
import org.portcullis.portal.page.PortalPage;
import org.portcullis.signin.DesktopAccess;
import org.portcullis.signin.DesktopTokens;
import org.portcullis.snapshot.PortalSite;
import org.portcullis.storage.StorageExecutor;

/**
 * The remote desktops page ({@code /.portcullis/desktops}, issue 16): the desktops the signed-in user may open, each
 * with an "Open" button. Opening is a POST (CSRF-checked like every portal form): it issues a single-use access token
 * bound to this session and that desktop ({@link org.portcullis.signin.DesktopTokens}) and answers the {@code .rdp}
 * file that carries it, which the user's RDP client opens. A session without a second factor never gets here (the
 * portal sends it to the second-factor page); one whose factors a desktop does not accept does not see that desktop.
 */
final class DesktopsEndpoint {
    static final String FIELD_DESKTOP = "desktop";
    static final String ACTION_TOKEN = "remote.token";
    private final PortalContext context;
    private final DesktopTokens tokens;
    private final StorageExecutor storage;

    /** @param storage where tokens are issued: their store may be Redis, never waited for on an event loop */
    DesktopsEndpoint(PortalContext context, DesktopTokens tokens, StorageExecutor storage) {
        this.context = context;
        this.tokens = tokens;
        this.storage = storage;
    }

    CompletableFuture<PortalResponse> show(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        PortalSite site = PortalContext.site(request);
        List<RemoteDesktopConfig> desktops = DesktopAccess.openable(request.snapshot().config(), request.session());
        String csrf = PortalContext.attribute(request, PortalContext.CSRF).orElse("");
        StringBuilder html = new StringBuilder(1024);
        html.append("<h1>Remote desktops</h1>\n");
        if (desktops.isEmpty()) {
            html.append("<p>There is no remote desktop you may open.</p>\n");
        } else {
            html.append("<p>Open downloads a small file for your Remote Desktop app. Open it within five minutes;"
                    + " it works once.</p>\n<ul>\n");
            for (RemoteDesktopConfig desktop : desktops) {
                html.append("<li><form method=\"post\" action=\"").append(PortalPaths.DESKTOPS).append("\">\n")
                        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(csrf))
                        .append("\"/>\n<input type=\"hidden\" name=\"").append(FIELD_DESKTOP).append("\" value=\"")
                        .append(Html.escape(desktop.name())).append("\"/>\n<strong>")
                        .append(Html.escape(desktop.name())).append("</strong> <button type=\"submit\">Open</button>\n")
                        .append("</form></li>\n");
            }
            html.append("</ul>\n");
        }
        PortalPage page = site.pages().layout().page(200, "Remote desktops", html.toString());
        return CompletableFuture.completedFuture(PortalContext.page(site, page, "DESKTOPS"));
    }

    CompletableFuture<PortalResponse> open(PortalRequest request) {
        if (!request.session().signedIn()) {
            return CompletableFuture.completedFuture(PortalContext.toLogin(request));
        }
        String name = FormBody.parse(request.body()).map(f -> f.text(FIELD_DESKTOP)).orElse("");
        Optional<RemoteDesktopConfig> desktop = DesktopAccess.find(request.snapshot().config(), name,
                request.session());
        String user = request.session().user().username();
        if (desktop.isEmpty()) {
            context.record(ACTION_TOKEN, AuditOutcome.FAILURE, "desktop_not_allowed", user, request,
                    request.session().sessionHash());
            PortalSite site = PortalContext.site(request);
            return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().layout().page(403,
                    "Remote desktops", "<h1>Remote desktops</h1>\n<p>You may not open this desktop.</p>\n"),
                    "DESKTOP_NOT_ALLOWED"));
        }
        return storage.submit(() -> {
            String token;
            try {
                token = tokens.issue(request.session().id(), user, desktop.get().name());
            } catch (RuntimeException e) {
                // The token store (Redis in a cluster) failed or is full: no file, an error page (fail closed).
                context.record(ACTION_TOKEN, AuditOutcome.FAILURE, "store_failed", user, request,
                        request.session().sessionHash());
                throw e;
            }
            return file(request, desktop.get(), user, token);
        });
    }

    private PortalResponse file(PortalRequest request, RemoteDesktopConfig desktop, String user, String token) {
        context.record(ACTION_TOKEN, AuditOutcome.SUCCESS, "issued", user, request, request.session().sessionHash());
        String gatewayHost = PortalContext.site(request).origin().host();
        int port = PortalContext.site(request).origin().port();
        byte[] body = RdpFile.text(desktop, port == 443 ? gatewayHost : gatewayHost + ":" + port, token)
                .getBytes(StandardCharsets.UTF_8);
        return new PortalResponse(200, List.of(
                new PortalResponse.Header("Content-Type", "application/x-rdp"),
                new PortalResponse.Header("Content-Disposition", "attachment; filename=\"" + desktop.name()
                        + ".rdp\""),
                new PortalResponse.Header("Cache-Control", "no-store"),
                new PortalResponse.Header("X-Content-Type-Options", "nosniff")), body, "DESKTOP_FILE");
    }

    CompletableFuture<PortalResponse> csrfRefused(PortalRequest request, CsrfVerdict verdict) {
        context.record(ACTION_TOKEN, AuditOutcome.FAILURE, "csrf_" + verdict.outcome().name().toLowerCase(),
                request.session().signedIn() ? request.session().user().username() : null, request,
                request.session().sessionHash());
        PortalSite site = PortalContext.site(request);
        return CompletableFuture.completedFuture(PortalContext.page(site, site.pages().layout().page(403,
                "Remote desktops", "<h1>Remote desktops</h1>\n<p>This form expired. Open the desktops page again.</p>\n"),
                "CSRF_REFUSED"));
    }
}
