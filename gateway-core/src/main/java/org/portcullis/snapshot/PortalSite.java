package org.portcullis.snapshot;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.HostPattern;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.ServedPorts;
import org.portcullis.portal.guard.CsrfGuard;
import org.portcullis.portal.guard.CsrfTokens;
import org.portcullis.portal.guard.PortalOrigin;
import org.portcullis.portal.guard.RequestOriginCheck;
import org.portcullis.portal.guard.ReturnTargetPolicy;
import org.portcullis.portal.page.PortalPages;

/**
 * The portal as one config snapshot defines it: its origin, its pages (branding, and a Content-Security-Policy whose
 * {@code form-action} lists the protected hosts, because Chromium checks the redirect after the sign-in POST against
 * it), the {@code rd} rules (the protected hosts, on the ports the gateway serves for the portal's scheme) and the CSRF guard
 * (the portal's origin). Built with the snapshot, so a reload that changes the routes or the branding applies at once.
 */
public record PortalSite(PortalOrigin origin, PortalPages pages, ReturnTargetPolicy returnTargets, CsrfGuard csrf) {
    private static final int HTTPS_PORT = 443;

    public PortalSite {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(pages, "pages");
        Objects.requireNonNull(returnTargets, "returnTargets");
        Objects.requireNonNull(csrf, "csrf");
    }

    /** The site of {@code config}, which has a {@code portal} section. */
    public static PortalSite of(GatewayConfig config, SecureRandom random) {
        PortalOrigin origin = PortalOrigin.of(config.portal().url());
        // rd may only name a port the gateway serves for the portal's scheme: the same ports the front door serves
        // (its listeners of that kind, plus portal.url's own port), without the front door's allowance for the
        // default port: 443 is not assumed here, nothing may answer there. The portal's own port comes first.
        ServedPorts served = GatewaySnapshot.servedPorts(config);
        Set<Integer> ports = new LinkedHashSet<>();
        ports.add(origin.port());
        ports.addAll(new TreeSet<>(PortalOrigin.HTTPS.equals(origin.scheme()) ? served.tls() : served.plain()));
        List<HostPattern> hosts = new ArrayList<>();
        List<String> formActions = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            hosts.add(route.host());
            for (int port : ports) {
                String formAction = "https://" + route.host().pattern() + (port == HTTPS_PORT ? "" : ":" + port);
                if (!formActions.contains(formAction)) {
                    formActions.add(formAction);
                }
            }
        }
        CsrfGuard csrf = new CsrfGuard(new RequestOriginCheck(origin, false), new CsrfTokens(random));
        return new PortalSite(origin, new PortalPages(config.portal().branding(), formActions,
                config.portal().helpContact()),
                new ReturnTargetPolicy(origin, hosts, ports), csrf);
    }
}
