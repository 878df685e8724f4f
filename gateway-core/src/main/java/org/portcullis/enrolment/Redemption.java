package org.portcullis.enrolment;

/**
 * The result of redeeming a one-time code. Only {@link #ACCEPTED} lets the caller go on; the others are for the audit
 * trail and failure counters, and the user should see the same message for all of them (a different message for
 * "used" or "expired" would confirm that a guessed code exists).
 */
public enum Redemption {
    ACCEPTED,
    /** No such code for this user (wrong code, a code of another user, or not in the code format). */
    UNKNOWN,
    /** Right code, but past its expiry. */
    EXPIRED,
    /** Right code, already redeemed. */
    ALREADY_USED
}
