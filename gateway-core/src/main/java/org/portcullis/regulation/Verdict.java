package org.portcullis.regulation;

import java.time.Instant;
import java.util.Objects;

/** What {@link Regulator#check} decides before a factor is verified: go ahead, or refuse without verifying. */
public sealed interface Verdict permits Verdict.Allowed, Verdict.Locked {

    /** The one allowed verdict. */
    Allowed ALLOWED = new Allowed();

    /** Which counter locked: the account's or the source address's. */
    enum Reason {
        ACCOUNT,
        ADDRESS
    }

    /** Verify the factor. */
    record Allowed() implements Verdict {
    }

    /**
     * Refuse without verifying (and without computing a password hash).
     *
     * @param reason which counter locked
     * @param until  when the lock ends, or {@link #UNTIL_UNLOCKED} when only an admin's unlock ends it. Pages must
     *               not show it: it would tell an attacker which accounts exist and when to come back.
     */
    record Locked(Reason reason, Instant until) implements Verdict {
        /** The lock that only {@code portcullis users unlock} ends. */
        public static final Instant UNTIL_UNLOCKED = Instant.MAX;

        public Locked {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(until, "until");
        }

        public boolean untilUnlocked() {
            return until.equals(UNTIL_UNLOCKED);
        }
    }
}
