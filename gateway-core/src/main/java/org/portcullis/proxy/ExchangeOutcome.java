package org.portcullis.proxy;

import org.portcullis.ingress.RejectReason;
import org.portcullis.pool.UpstreamBusyException;

/**
 * How a forwarded exchange ended, for the access log and the audit trail. The cause is chosen where it happens and
 * picks the status the client is answered with (when a page can still be sent).
 */
enum ExchangeOutcome {
    /** Completed: the upstream's response was relayed, whatever its status. */
    FORWARDED(0),
    /** The client's body stalled (or trickled below the minimum rate). */
    BODY_READ_TIMEOUT(408),
    /** The body grew past the route's limit. */
    BODY_TOO_LARGE(413),
    /** The body broke its framing (a malformed chunk); the status is the decoder's reason's. */
    REFUSED_DURING_BODY(400),
    /** The upstream's pool is full. */
    UPSTREAM_BUSY(503),
    /** The upstream did not connect, or did not answer, within its timeout. */
    UPSTREAM_TIMEOUT(504),
    /** The upstream refused, reset, closed early or broke the response framing. */
    UPSTREAM_ERROR(502);

    private final int status;

    ExchangeOutcome(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }

    /** What a failure on the client's side of the body amounts to. */
    static ExchangeOutcome ofClient(RejectReason reason) {
        return switch (reason) {
            case BODY_READ_TIMEOUT -> BODY_READ_TIMEOUT;
            case BODY_TOO_LARGE -> BODY_TOO_LARGE;
            default -> REFUSED_DURING_BODY;
        };
    }

    /** What a failure to get an upstream connection amounts to. */
    static ExchangeOutcome ofConnectFailure(Throwable cause) {
        if (cause instanceof UpstreamBusyException) {
            return UPSTREAM_BUSY;
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return UPSTREAM_TIMEOUT;
        }
        return UPSTREAM_ERROR; // refused, reset, unresolvable, TLS verification failed: the upstream is unreachable
    }
}
