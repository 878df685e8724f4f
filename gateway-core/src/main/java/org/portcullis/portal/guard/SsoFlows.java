package org.portcullis.portal.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.session.CookieHeaders;
import org.portcullis.session.SessionCookie;

/**
 * The portal's memory of the sign-ins in progress in one browser: for each protected host that sent the browser here,
 * the {@link SsoState#binding state binding} that host put in the URL. The portal reads it when it issues a callback
 * code, which is often several pages later (the sign-in form, a second factor, an enrolment), without threading the
 * value through every form.
 *
 * <p>A host-only cookie on the portal, {@value #NAME}: {@code host:binding} pairs joined by {@code ~}, newest first,
 * at most {@value #MAX_FLOWS}, one per host (a newer flow to the same host replaces the older). It holds no secret: a
 * binding is a hash of a nonce that only the protected host's cookie holds. A page that makes a browser visit the
 * portal with another binding changes nothing the attacker can use: the code is then issued to that same browser,
 * and its own host nonce does not match. Same attributes as {@link SsoState}'s cookie, for the same reasons.
 */
public final class SsoFlows {

    public static final String NAME = SessionCookie.FAMILY_PREFIX + "sso-flows";
    static final int MAX_FLOWS = 8;
    private static final String PAIRS = "~";
    private static final char SEPARATOR = ':';

    private SsoFlows() {
    }

    /** The binding recorded for {@code host}, if the browser's cookie is well-formed and has one. */
    public static Optional<String> find(List<String> cookieHeaders, String host) {
        return parse(cookieHeaders).stream().filter(flow -> flow.host().equals(host)).map(Flow::binding).findFirst();
    }

    /** The {@code Set-Cookie} value that records {@code binding} for {@code host} on top of the browser's flows. */
    public static String setCookie(List<String> cookieHeaders, String host, String binding) {
        if (!ReturnTargetPolicy.isHostNameSyntax(host) || !CsrfTokens.isWellFormed(binding)) {
            throw new IllegalArgumentException("SsoFlows: a host name and a binding");
        }
        List<Flow> flows = new ArrayList<>();
        flows.add(new Flow(host, binding));
        for (Flow flow : parse(cookieHeaders)) {
            if (!flow.host().equals(host) && flows.size() < MAX_FLOWS) {
                flows.add(flow);
            }
        }
        List<String> pairs = flows.stream().map(flow -> flow.host() + SEPARATOR + flow.binding()).toList();
        return NAME + "=" + String.join(PAIRS, pairs) + SsoState.ATTRIBUTES;
    }

    /** Every well-formed pair of the one cookie; nothing for an absent, repeated or malformed cookie. */
    private static List<Flow> parse(List<String> cookieHeaders) {
        Objects.requireNonNull(cookieHeaders, "cookieHeaders");
        CookieHeaders.Lookup lookup = CookieHeaders.find(cookieHeaders, NAME);
        if (lookup.outcome() != CookieHeaders.Outcome.FOUND) {
            return List.of();
        }
        List<Flow> flows = new ArrayList<>();
        for (String pair : lookup.value().split(PAIRS, -1)) {
            int at = pair.indexOf(SEPARATOR);
            if (at <= 0) {
                return List.of();
            }
            String host = pair.substring(0, at);
            String binding = pair.substring(at + 1);
            if (!ReturnTargetPolicy.isHostNameSyntax(host) || !CsrfTokens.isWellFormed(binding)) {
                return List.of();
            }
            flows.add(new Flow(host, binding));
        }
        return flows.size() > MAX_FLOWS ? List.of() : flows;
    }

    private record Flow(String host, String binding) {
    }
}
