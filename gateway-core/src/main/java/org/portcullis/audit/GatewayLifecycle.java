package org.portcullis.audit;

import java.util.Objects;

/**
 * The gateway started or stopped. Both are sealed into the chain, so the trail itself shows every run: a
 * {@code gateway.start} right after a {@code gateway.stop} is a clean restart; one after anything else follows a
 * crash or a kill ({@code audit verify} counts them). A {@code gateway.start} with reason {@value #REASON_TRUNCATED}
 * is the gateway noticing, at start, that the trail ended before the end the store recorded ({@link AuditAnchors}):
 * newest lines were removed while it was down. It then continues the chain from the recorded end, so the gap stays
 * visible to every later {@code audit verify}.
 *
 * @param action       {@value #ACTION_START} or {@value #ACTION_STOP}
 * @param reason       one of the {@code REASON_*} codes
 * @param configFile   the config file the gateway runs with, or null when it was not started from a file
 * @param configSha256 SHA-256 of that file's bytes (hex) when the event was written, or null
 * @param detail       what the gateway found (for a truncation: where the trail ended and where the store said it
 *                     should), or null
 */
public record GatewayLifecycle(String action, String reason, String configFile, String configSha256, String detail)
        implements AuditEvent {

    public static final String ACTION_START = "gateway.start";
    public static final String ACTION_STOP = "gateway.stop";
    /** The first line of a new trail. */
    public static final String REASON_NEW_TRAIL = "new_trail";
    /** The line before is this gateway's {@code gateway.stop}. */
    public static final String REASON_AFTER_STOP = "after_stop";
    /** The line before is not a {@code gateway.stop}: the previous run crashed or was killed. */
    public static final String REASON_AFTER_CRASH = "after_crash";
    /** The trail ended before the end recorded in the store. */
    public static final String REASON_TRUNCATED = "trail_truncated";
    /** An orderly shutdown. */
    public static final String REASON_STOP = "shutdown";

    public GatewayLifecycle {
        if (!ACTION_START.equals(action) && !ACTION_STOP.equals(action)) {
            throw new IllegalArgumentException("GatewayLifecycle: action must be gateway.start or gateway.stop");
        }
        Objects.requireNonNull(reason, "reason");
    }

    /** A crash or a truncation is something an auditor should look at; a clean start or stop is not. */
    @Override
    public AuditOutcome outcome() {
        return REASON_AFTER_CRASH.equals(reason) || REASON_TRUNCATED.equals(reason) ? AuditOutcome.FAILURE
                : AuditOutcome.SUCCESS;
    }
}
