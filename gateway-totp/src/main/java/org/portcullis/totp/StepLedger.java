package org.portcullis.totp;

/**
 * Remembers, per user and credential, the last TOTP time step that was accepted, so that each step is accepted at
 * most once (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
 * validation has been issued for the first OTP").
 *
 * <p>Implementations must make {@link #tryAdvance} one atomic compare-and-set, also across parallel requests and,
 * for shared stores, across cluster nodes: reading the last step and writing the new one separately would let two
 * concurrent submissions of the same code both succeed.
 */
public interface StepLedger {

    /**
     * Records {@code step} as used if and only if it is greater than the step stored for this credential (or none is
     * stored yet).
     *
     * @return true if this call advanced the ledger, false if the step was already used or is older
     */
    boolean tryAdvance(String user, String credentialId, long step);
}
