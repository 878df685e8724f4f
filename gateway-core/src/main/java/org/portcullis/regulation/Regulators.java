package org.portcullis.regulation;

import java.time.Clock;
import java.util.Objects;
import org.portcullis.config.GatewayConfig;

/**
 * The {@link Regulator} of a config snapshot: the process's failure counters and clock, the limits of the snapshot's
 * {@code lockout} section. Asked once per request with the request's snapshot, so a reload that changes the limits
 * applies to the next request.
 */
public final class Regulators {
    private final FailureCounter failures;
    private final Clock clock;

    public Regulators(FailureCounter failures, Clock clock) {
        this.failures = Objects.requireNonNull(failures, "failures");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Regulator forConfig(GatewayConfig config) {
        return new Regulator(failures, RegulationSettings.of(config.lockout()),
                FailureLimit.addressLimit(config.lockout()), clock);
    }
}
