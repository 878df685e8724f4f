package org.portcullis.factor;

import java.util.List;
import java.util.Optional;
import org.portcullis.config.TotpConfig;
import org.portcullis.totp.TotpParameters;
import org.portcullis.totp.Verification;

/**
 * Checks one submitted TOTP code against authenticators of a user and consumes its time step in the durable ledger
 * (SECURITY-RULES 13): every candidate is computed (constant-time compare inside the verifier), then the matching
 * step is taken with the ledger's atomic insert, so of any number of parallel submissions exactly one is accepted and
 * the others are replays. Runs on a storage thread.
 *
 * <p>Each authenticator is checked with its own algorithm, digits and period and the configured window
 * ({@link TotpSettings#forVerification}). The ledger is per user, and a user's authenticators may have different
 * periods (the config changed between two enrolments), so step numbers of different authenticators are not
 * comparable; the ledger records each accepted step by the epoch second it starts at instead. That keeps "never the
 * same or an earlier code again" per user, across authenticators of any period.
 *
 * <p>Shared by the portal's code form and the SSH jump host's keyboard-interactive step: one ledger, so a code used
 * on either is refused on the other.
 */
public final class TotpCheck {
    private TotpCheck() {
    }

    /** What became of the code: the credential it matched, or why it was refused. */
    public record Result(Optional<TotpCredential> accepted, Verification.Reason refusal) {
        static Result of(TotpCredential credential) {
            return new Result(Optional.of(credential), null);
        }

        static Result refused(Verification.Reason reason) {
            return new Result(Optional.empty(), reason);
        }

        public boolean ok() {
            return accepted.isPresent();
        }
    }

    public static Result check(SecondFactors factors, String user, List<TotpCredential> candidates, String code,
                        TotpConfig config) {
        boolean replayed = false;
        boolean wellFormed = candidates.isEmpty();
        for (TotpCredential credential : candidates) {
            TotpParameters parameters = TotpSettings.forVerification(credential.parameters(), config);
            Verification verification = factors.verifier().verify(factors.totp().secretOf(credential),
                    parameters, code, Long.MIN_VALUE);
            if (verification instanceof Verification.Accepted accepted) {
                long stepStart = Math.multiplyExact(accepted.step(), (long) parameters.periodSeconds());
                if (factors.ledger().tryAdvance(user, credential.id(), stepStart)) {
                    return Result.of(credential);
                }
                replayed = true;
            } else if (verification instanceof Verification.Rejected rejected
                    && rejected.reason() != Verification.Reason.MALFORMED) {
                wellFormed = true;
            }
        }
        // Malformed only when it fits none of the user's apps: six digits are malformed for an eight-digit app and
        // may still be right for a six-digit one, so one app's format never ends the search.
        Verification.Reason refusal = replayed ? Verification.Reason.REPLAY
                : wellFormed ? Verification.Reason.WRONG_CODE : Verification.Reason.MALFORMED;
        return Result.refused(refusal);
    }
}
