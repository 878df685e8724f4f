package org.portcullis.coverage;

import java.util.Objects;
import org.portcullis.config.EntryPoint;

/**
 * What trying one entry point from here found.
 *
 * @param entryPoint the address tried
 * @param verdict    what it means for coverage
 * @param detail     what was seen, secret-free ({@code connection refused}, {@code HTTP 200 for GET /})
 */
public record ProbeResult(EntryPoint entryPoint, Verdict verdict, String detail) {

    public enum Verdict {
        /** Nothing accepted the connection (refused): not reachable from here. */
        CLOSED(false),
        /** No answer within the timeout (dropped by a firewall, or no route): not reachable from here. */
        NO_ANSWER(false),
        /** The name does not resolve from here: not reachable from here. */
        UNRESOLVED(false),
        /** An HTTP entry point answered with the gateway's own challenge (a redirect to its portal). */
        GATEWAY(false),
        /** A TCP connection was accepted: the service is reachable around the gateway. */
        REACHABLE(true),
        /** An HTTP request that needs sign-in at the gateway was answered directly: reachable around the gateway. */
        ANSWERED(true);

        private final boolean aroundTheGateway;

        Verdict(boolean aroundTheGateway) {
            this.aroundTheGateway = aroundTheGateway;
        }

        public boolean aroundTheGateway() {
            return aroundTheGateway;
        }
    }

    public ProbeResult {
        Objects.requireNonNull(entryPoint, "entryPoint");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }
}
