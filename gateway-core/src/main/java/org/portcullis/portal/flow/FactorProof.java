package org.portcullis.portal.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.portcullis.policy.AuthFactor;
import org.portcullis.session.Session;

/**
 * Whether a session proves enough to add, rename or remove a factor (SECURITY-RULES 15): a second factor completed
 * in this session at most {@link #FRESH} ago. A recovery code counts: it is how a user who lost the phone signs in to
 * set up a new one. The password alone never counts.
 */
final class FactorProof {
    /** Issue 5 §4: "a fresh two-factor sign-in (≤ 5 minutes old)". */
    static final Duration FRESH = Duration.ofMinutes(5);

    private FactorProof() {
    }

    static boolean fresh(Session session, Instant now) {
        for (Map.Entry<AuthFactor, Instant> factor : session.factors().entrySet()) {
            if (!factor.getKey().isFirstFactor() && !factor.getValue().plus(FRESH).isBefore(now)) {
                return true;
            }
        }
        return false;
    }
}
