package org.portcullis.admission;

import io.netty.handler.codec.http.HttpRequest;
import java.util.Objects;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.policy.Requirement;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;

/** How a request was decided: {@link AdmissionPipeline} ends every request in exactly one of these. */
public sealed interface Admission {

    /** The canonical request decided on, or null for a refusal that came before it was made. */
    CanonicalRequest request();

    /**
     * Forward {@code upstreamHead} to {@code route}'s upstream, under {@code snapshot}; {@code rule} allowed it. The
     * head is complete: the canonical target and headers, without the gateway's cookies, with the identity headers
     * this request earned and the framing of its body. {@code session} is the caller's session (signed in, or not
     * for a bypass rule); a bypass never passes an identity on.
     */
    record Forward(CanonicalRequest request, RouteConfig route, String rule, GatewaySnapshot snapshot,
                   ResolvedSession session, boolean bypass, HttpRequest upstreamHead) implements Admission {
        public Forward {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(upstreamHead, "upstreamHead");
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
     * An RD Gateway channel (issue 16): {@code request} is RDG_OUT_DATA or RDG_IN_DATA on the gateway's RDG path of the
     * portal's host, without a body. The connection leaves HTTP and speaks MS-TSGU; who may reach which desktop is
     * decided there, from the access token in the tunnel request (never from this request or its session cookie).
     */
    record RemoteDesktop(CanonicalRequest request, GatewaySnapshot snapshot) implements Admission {
        /** The path mstsc and FreeRDP use. */
        public static final String PATH = "/remoteDesktopGateway/";
        public static final String OUT_DATA = "RDG_OUT_DATA";
        public static final String IN_DATA = "RDG_IN_DATA";

        public RemoteDesktop {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(snapshot, "snapshot");
        }

        public static boolean isRdgMethod(String method) {
            return OUT_DATA.equals(method) || IN_DATA.equals(method);
        }
    }

    /**
     * Answer {@code status} with the gateway's own page. {@code code} is the reject reason or policy outcome for the
     * log; {@code request}, {@code route} and {@code rule} are null when the refusal came before they were known;
     * {@code cause} is what failed on the gateway's side (the store, the identity), for the operator's log, or null.
     */
    record Refuse(int status, String code, CanonicalRequest request, String route, String rule, boolean close,
                  Throwable cause) implements Admission {
        public Refuse {
            Objects.requireNonNull(code, "code");
        }

        public Refuse(int status, String code, CanonicalRequest request, String route, String rule, boolean close) {
            this(status, code, request, route, rule, close, null);
        }

        /** A refusal before anything about the request was known (the decoder's or a clock's), closing. */
        public static Refuse early(int status, String code) {
            return new Refuse(status, code, null, null, null, true, null);
        }
    }
}
