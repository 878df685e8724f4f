package org.portcullis.admission;

import java.util.Objects;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.policy.Requirement;
import org.portcullis.session.CookieLookup;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * The outcome of admitting one request. {@link RequestAdmission#admit} gives {@link Refuse} or {@link Prepared};
 * {@link RequestAdmission#decide} turns a prepared request and its resolved session into one of the others.
 */
public sealed interface Admission {

    /**
     * The request passed the front door and has a destination: {@code route}, or the gateway's own portal when
     * {@code route} is null. Its session (from {@code cookie}) is resolved next, off the event loop when the cookie
     * names one, then {@link RequestAdmission#decide} takes over.
     */
    record Prepared(CanonicalRequest request, RouteConfig route, GatewaySnapshot snapshot, CookieLookup cookie,
                    boolean bodyFollows) implements Admission {
        public Prepared {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(cookie, "cookie");
        }

        public boolean portal() {
            return route == null;
        }
    }

    /**
     * Forward {@code request} to {@code route}'s upstream, under {@code snapshot}; {@code rule} allowed it. The
     * request's headers no longer carry the gateway's cookies. {@code session} is the caller's session (signed in, or
     * not for a bypass rule); a bypass never passes an identity on.
     */
    record Forward(CanonicalRequest request, RouteConfig route, String rule, GatewaySnapshot snapshot,
                   ResolvedSession session, boolean bypass) implements Admission {
        public Forward {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(session, "session");
        }
    }

    /** Serve the gateway's own page for {@code request} (a path under the reserved prefix, or the portal host). */
    record Portal(CanonicalRequest request, GatewaySnapshot snapshot, ResolvedSession session, boolean bodyFollows)
            implements Admission {
        public Portal {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(session, "session");
        }
    }

    /**
     * The policy wants more from the caller before forwarding: a browser navigation is sent to the portal, anything
     * else gets 401. Nothing is forwarded.
     */
    record Challenge(CanonicalRequest request, RouteConfig route, String rule, Requirement requirement,
                     ResolvedSession session, GatewaySnapshot snapshot, boolean close) implements Admission {
        public Challenge {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(requirement, "requirement");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(snapshot, "snapshot");
        }
    }

    /**
     * Answer {@code status} with the gateway's own page. {@code code} is the reject reason or policy outcome for the
     * log; {@code request}, {@code route} and {@code rule} are null when the refusal came before they were known.
     */
    record Refuse(int status, String code, CanonicalRequest request, String route, String rule, boolean close)
            implements Admission {
        public Refuse {
            Objects.requireNonNull(code, "code");
        }
    }
}
