package org.portcullis.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.portcullis.policy.AuthFactor;

/**
 * What an admin may see of a session ({@code portcullis sessions list}): the short display id, never the id or its
 * hash, and no attribute values.
 */
public record SessionSummary(
        String displayId,
        String user,
        Instant created,
        Instant lastSeen,
        Instant idleExpiry,
        Instant absoluteExpiry,
        Set<AuthFactor> factors) {

    public SessionSummary {
        Objects.requireNonNull(displayId, "displayId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(idleExpiry, "idleExpiry");
        Objects.requireNonNull(absoluteExpiry, "absoluteExpiry");
        factors = Set.copyOf(factors);
    }

    /** The earlier of the two deadlines, as last written. */
    public Instant expires() {
        return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
    }
}
