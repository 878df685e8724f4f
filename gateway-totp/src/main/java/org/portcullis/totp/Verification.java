package org.portcullis.totp;

import java.util.Objects;

/** The outcome of checking one submitted code. Never carries the code itself. */
public sealed interface Verification {

    /** Why a code was refused. */
    enum Reason {
        /** Not exactly the configured number of ASCII digits '0'-'9'. */
        MALFORMED,
        /** Well-formed but matches no step inside the window. */
        WRONG_CODE,
        /** Matches a step that was already used (or an earlier one): audit as a replay. */
        REPLAY
    }

    /** The code matched time step {@code step}, which the caller must now consume in the {@link StepLedger}. */
    record Accepted(long step) implements Verification {
    }

    /** The code was refused. */
    record Rejected(Reason reason) implements Verification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** True only for {@link Accepted}. */
    default boolean accepted() {
        return this instanceof Accepted;
    }
}
