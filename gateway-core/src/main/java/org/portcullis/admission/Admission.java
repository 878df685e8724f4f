package org.portcullis.admission;

import java.util.Objects;
import org.portcullis.config.RouteConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.server.GatewaySnapshot;

/** The outcome of admitting one request. */
public sealed interface Admission {

    /** Forward {@code request} to {@code route}'s upstream, under {@code snapshot}; {@code rule} allowed it. */
    record Forward(CanonicalRequest request, RouteConfig route, String rule, GatewaySnapshot snapshot)
            implements Admission {
        public Forward {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(rule, "rule");
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
