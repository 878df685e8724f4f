package org.portcullis.identity;

import org.portcullis.config.PasswordHash;

/**
 * Checks a password against a stored hash. {@link PasswordHasher} is the implementation; the interface exists so that
 * {@link FirstFactorVerifier} can be given an instrumented wrapper in tests (to prove that an unknown user costs a
 * hash too).
 */
public interface HashVerifier {
    /**
     * @return whether {@code password} hashes to {@code stored}; the comparison takes the same time wherever the
     *         first difference is. {@code password} is not modified; the caller wipes it.
     */
    boolean verify(char[] password, PasswordHash stored);

    /** A hash of {@code password} with this verifier's own parameters, for the unknown-user dummy. */
    PasswordHash hashOf(char[] password);
}
