package org.portcullis.webauthn;

import java.time.Instant;

/**
 * Outstanding WebAuthn challenges (W3C WebAuthn §13.4.3): random, single use, bound to one session and one purpose,
 * short-lived. At most one challenge is outstanding per session and purpose; issuing a new one replaces the old.
 */
public interface ChallengeStore {

    /** Issues a fresh random challenge for this session binding and purpose, replacing any earlier one. */
    byte[] issue(String sessionBinding, CeremonyPurpose purpose);

    /**
     * Takes the outstanding challenge for this session and purpose out of the store, whether or not it matches, and
     * tells whether it equals {@code challenge} and had not expired at {@code now}. Atomic: of two concurrent calls at
     * most one can succeed.
     */
    boolean consume(String sessionBinding, CeremonyPurpose purpose, byte[] challenge, Instant now);
}
