package org.portcullis.portal;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * One request the gateway answers itself, complete with its (small) body.
 *
 * @param request   the canonical request; its headers are the sanitised client headers
 * @param session   the caller's session as resolved from the gateway cookie
 * @param snapshot  the config in force when the request arrived
 * @param body      the form body ({@code application/x-www-form-urlencoded}), empty for GET
 * @param requestId joins the access-log line and the audit events of this request
 * @param clientGone true once the client connection has closed: work not started yet is skipped
 */
public record PortalRequest(CanonicalRequest request, ResolvedSession session, GatewaySnapshot snapshot, byte[] body,
                            String requestId, BooleanSupplier clientGone) {
    public PortalRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(clientGone, "clientGone");
    }

    public String method() {
        return request.method();
    }

    public String path() {
        return request.path();
    }

    /** The address the decision is about (after trusted-proxy resolution), as text for the audit trail. */
    public String sourceIp() {
        return request.clientAddress().getHostAddress();
    }
}
