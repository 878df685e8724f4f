package org.portcullis.portal.guard;

import java.util.List;
import java.util.Objects;

/**
 * The Fetch Metadata check of a callback navigation (SECURITY-RULES 25, W3C Fetch Metadata). A genuine callback is
 * the end of a redirect chain that went through the portal, so a browser calls it {@code same-site} when the portal and
 * the host share a registrable domain and {@code cross-site} when they do not. A link an attacker sends (from a
 * hostile page) arrives {@code cross-site}. So:
 *
 * <ul>
 *   <li>{@code Sec-Fetch-Site} more than once: refused;</li>
 *   <li>{@code cross-site} while the portal and the host are the same site: refused, a genuine callback could not
 *       carry it;</li>
 *   <li>anything else, and no header at all (older browsers): allowed here, and redeemed only with the browser's
 *       {@link SsoState} nonce, which is the check that holds in every case.</li>
 * </ul>
 *
 * <p>Same site is decided without the Public Suffix List, leaning to "not the same site": the host is the same site
 * as the portal when it is, or ends with, the portal host's parent domain and that parent has at least two labels
 * ({@code login.example.org} and {@code records.example.org}; not {@code login.test} and {@code app.test}). A portal
 * directly under a public suffix with two labels ({@code login.co.uk}) would be judged the same site as every host
 * under that suffix; configure the portal one level deeper (the usual {@code login.trust.example}).
 */
public final class CallbackNavigation {

    static final String CROSS_SITE = "cross-site";

    private CallbackNavigation() {
    }

    /** True when the callback on {@code host} may go on to the code and state check. */
    public static boolean allowed(PortalOrigin portal, String host, List<String> secFetchSites) {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(host, "host");
        if (secFetchSites.size() > 1) {
            return false;
        }
        return secFetchSites.isEmpty() || !CROSS_SITE.equals(secFetchSites.get(0).strip())
                || !sameSite(portal.host(), host);
    }

    /** The conservative same-site judgement described in the class comment. */
    static boolean sameSite(String portalHost, String host) {
        int dot = portalHost.indexOf('.');
        if (dot < 0) {
            return portalHost.equals(host);
        }
        String parent = portalHost.substring(dot + 1);
        if (parent.indexOf('.') < 0) {
            return portalHost.equals(host);
        }
        return host.equals(parent) || host.endsWith("." + parent);
    }
}
