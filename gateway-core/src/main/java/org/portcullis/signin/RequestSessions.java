package org.portcullis.signin;

import java.util.Objects;
import org.portcullis.config.GatewayConfig;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionManagers;

/**
 * What the request path needs of sign-in: the resolver that turns a request's cookie into its session, and the
 * session manager of the request's snapshot (its timeouts, so a reload applies to the next request).
 */
public record RequestSessions(SessionResolver resolver, SessionManagers managers) {
    public RequestSessions {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(managers, "managers");
    }

    /** The session manager with the timeouts of {@code config}. */
    public SessionManager sessions(GatewayConfig config) {
        return managers.forConfig(config);
    }
}
