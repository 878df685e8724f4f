package org.portcullis.portal.flow;

import java.util.List;
import java.util.Optional;
import org.portcullis.factor.SecondFactors;
import org.portcullis.factor.TotpCredential;
import org.portcullis.totp.Verification;

/**
 * Checks one submitted TOTP code against authenticators of a user and consumes its time step in the durable ledger
 * (SECURITY-RULES 13): every candidate is computed (constant-time compare inside the verifier), then the matching
 * step is taken with the ledger's atomic insert, so of any number of parallel submissions exactly one is accepted and
 * the others are replays. Runs on a storage thread.
 */
final class TotpCheck {
    private TotpCheck() {
    }

    /** What became of the code: the credential it matched, or why it was refused. */
    record Result(Optional<TotpCredential> accepted, Verification.Reason refusal) {
        static Result of(TotpCredential credential) {
            return new Result(Optional.of(credential), null);
        }

        static Result refused(Verification.Reason reason) {
            return new Result(Optional.empty(), reason);
        }

        boolean ok() {
            return accepted.isPresent();
        }
    }

    static Result check(SecondFactors factors, String user, List<TotpCredential> candidates, String code) {
        Verification.Reason refusal = Verification.Reason.WRONG_CODE;
        for (TotpCredential credential : candidates) {
            Verification verification = factors.verifier().verify(factors.totp().secretOf(credential),
                    credential.parameters(), code, Long.MIN_VALUE);
            if (verification instanceof Verification.Accepted accepted) {
                if (factors.ledger().tryAdvance(user, credential.id(), accepted.step())) {
                    return Result.of(credential);
                }
                refusal = Verification.Reason.REPLAY;
            } else if (verification instanceof Verification.Rejected rejected
                    && rejected.reason() == Verification.Reason.MALFORMED) {
                return Result.refused(Verification.Reason.MALFORMED);
            }
        }
        return Result.refused(refusal);
    }
}
