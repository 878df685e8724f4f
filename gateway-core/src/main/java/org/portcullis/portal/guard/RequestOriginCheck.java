package org.portcullis.portal.guard;

import java.util.List;
import java.util.Objects;

/**
 * The origin half of CSRF protection for portal forms (SECURITY-RULES 17): browsers say where a request comes from in
 * {@code Origin} (RFC 6454 §7, sent on every cross-origin request and every POST) and {@code Sec-Fetch-Site}
 * (W3C Fetch Metadata). A forged cross-site form post carries the attacker's origin or {@code cross-site}, neither of
 * which the attacker can change.
 *
 * <ul>
 *   <li>{@code Origin}, when present, must appear exactly once and equal the portal's serialised origin byte for byte
 *       ({@link PortalOrigin#serialized()}: lower case, default port omitted, as browsers write it). {@code null}
 *       (sandboxed frames, some redirects, {@code data:} pages) is refused: it hides where the request came from.</li>
 *   <li>{@code Sec-Fetch-Site}, when present, must appear exactly once and be exactly {@code same-origin};
 *       {@code same-site} is refused because a sibling host of the same site is not the portal.</li>
 *   <li>When both are present, both must pass. When both are absent (very old browsers, non-browser clients), the
 *       request passes only with {@code allowMissing}; the default, refusal, leaves the token as a second defence
 *       rather than the only one.</li>
 * </ul>
 * Every outcome is named, for the audit log; header values themselves are never logged.
 */
public final class RequestOriginCheck {

    static final String SAME_ORIGIN = "same-origin";
    static final String NULL_ORIGIN = "null";

    /** The outcome, allowed or the reason for refusal. */
    public enum Outcome {
        /** Origin and/or Sec-Fetch-Site present and right. */
        ALLOWED(true),
        /** Neither header, and missing headers are allowed by configuration. */
        ALLOWED_WITHOUT_HEADERS(true),
        /** Neither header, and missing headers are refused. */
        HEADERS_MISSING(false),
        /** {@code Origin: null}. */
        ORIGIN_NULL(false),
        /** An {@code Origin} other than the portal's. */
        ORIGIN_MISMATCH(false),
        /** {@code Origin} more than once. */
        ORIGIN_REPEATED(false),
        /** {@code Sec-Fetch-Site} other than {@code same-origin}. */
        FETCH_SITE_NOT_SAME_ORIGIN(false),
        /** {@code Sec-Fetch-Site} more than once. */
        FETCH_SITE_REPEATED(false);

        private final boolean allowed;

        Outcome(boolean allowed) {
            this.allowed = allowed;
        }

        public boolean allowed() {
            return allowed;
        }
    }

    private final String expectedOrigin;
    private final boolean allowMissing;

    /**
     * @param portal       the origin every portal form is served from
     * @param allowMissing whether a request with neither header passes (default: false)
     */
    public RequestOriginCheck(PortalOrigin portal, boolean allowMissing) {
        this.expectedOrigin = Objects.requireNonNull(portal, "portal").serialized();
        this.allowMissing = allowMissing;
    }

    /**
     * @param origins        every {@code Origin} value of the request (empty when absent)
     * @param secFetchSites  every {@code Sec-Fetch-Site} value of the request (empty when absent)
     */
    public Outcome check(List<String> origins, List<String> secFetchSites) {
        Objects.requireNonNull(origins, "origins");
        Objects.requireNonNull(secFetchSites, "secFetchSites");
        if (origins.size() > 1) {
            return Outcome.ORIGIN_REPEATED;
        }
        if (secFetchSites.size() > 1) {
            return Outcome.FETCH_SITE_REPEATED;
        }
        if (origins.size() == 1) {
            String origin = origins.get(0);
            if (NULL_ORIGIN.equals(origin)) {
                return Outcome.ORIGIN_NULL;
            }
            if (!expectedOrigin.equals(origin)) {
                return Outcome.ORIGIN_MISMATCH;
            }
        }
        if (secFetchSites.size() == 1 && !SAME_ORIGIN.equals(secFetchSites.get(0))) {
            return Outcome.FETCH_SITE_NOT_SAME_ORIGIN;
        }
        if (origins.isEmpty() && secFetchSites.isEmpty()) {
            return allowMissing ? Outcome.ALLOWED_WITHOUT_HEADERS : Outcome.HEADERS_MISSING;
        }
        return Outcome.ALLOWED;
    }
}
