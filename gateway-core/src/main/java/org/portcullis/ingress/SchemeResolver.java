package org.portcullis.ingress;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Decides whether the client's side of the request was TLS. Normally that is the connection's own TLS flag. Behind a
 * TLS-terminating load balancer listed in {@code trusted_proxies} the connection is plain HTTP while the browser
 * spoke HTTPS; then a single {@code X-Forwarded-Proto} of exactly {@code http} or {@code https} from that trusted
 * peer is believed, so that origins, default ports and cookie security match what the browser sees. From any other
 * peer, or with several or unexpected values, the header is ignored (SECURITY-RULES 6) — and it is always stripped
 * and rewritten before forwarding.
 */
public final class SchemeResolver {
    private SchemeResolver() {
    }

    public static boolean isTls(ConnectionInfo connection, boolean peerIsTrustedProxy, HttpHeaders headers) {
        if (connection.tls() || !peerIsTrustedProxy) {
            return connection.tls();
        }
        List<String> values = headers.getAll(GatewayHeaderNames.X_FORWARDED_PROTO);
        return values.size() == 1 && values.get(0).trim().equalsIgnoreCase("https");
    }
}
