package org.portcullis.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.portcullis.config.RouteConfig;
import org.portcullis.signin.ResolvedSession;

/**
 * The last step before a request is forwarded (SECURITY-RULES 6): every client copy of the identity headers the
 * route's upstream may read is removed, and for a signed-in user allowed by a non-bypass rule the gateway's own are
 * set, with a signed JWT assertion when the route asks for one (one per session and audience while more than half
 * its lifetime remains, {@link AssertionReuse}). Headers are edited in place on the canonical request
 * that will be forwarded. Any failure throws, and the caller refuses the request: never forwarded without the check.
 */
public final class UpstreamIdentity {
    /** Writers are built once per route (a reload makes new route values, so a bound keeps old ones from piling up). */
    private static final int MAX_CACHED_WRITERS = 1024;

    private final JwtSigner signer;
    private final AssertionReuse assertions;
    private final byte[] jwks;
    private final ConcurrentHashMap<RouteConfig, IdentityHeaderWriter> writers = new ConcurrentHashMap<>();

    /** @param signer the assertion signer, or null when no key is available (then a route with {@code jwt} fails) */
    public UpstreamIdentity(JwtSigner signer) {
        this.signer = signer;
        this.assertions = signer == null ? null : new AssertionReuse(signer);
        this.jwks = signer == null ? null : JwksDocument.of(signer.key()).bytes();
    }

    /**
     * Writes into {@code headers}, the head about to be forwarded to {@code route} for a request to {@code host}, the
     * identity of {@code session}; {@code bypass} when a bypass rule allowed it (then no identity is passed on, and
     * any header of that name the client sent is already gone).
     */
    public void apply(HttpHeaders headers, String host, RouteConfig route, ResolvedSession session, boolean bypass) {
        if (writers.size() > MAX_CACHED_WRITERS) {
            writers.clear();
        }
        IdentityHeaderWriter writer = writers.computeIfAbsent(route, IdentityHeaderWriter::forRoute);
        if (bypass || !session.signedIn()) {
            writer.strip(headers);
            return;
        }
        String assertion = null;
        if (route.jwt() != null) {
            Objects.requireNonNull(signer, "UpstreamIdentity: route " + route.name() + " wants a JWT but no key");
            assertion = assertions.assertion(session, host, route.jwt().lifetime());
        }
        writer.write(headers, session.user(), assertion);
    }

    /** The JWKS document upstreams verify assertions with, or null when there is no signing key. */
    public byte[] jwks() {
        return jwks == null ? null : jwks.clone();
    }
}
