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
     * @param until  when the lock ends, or {@link #UNTIL_UNLOCKED} when only an admin's unlock ends it. Pages show
     *               only {@link #minutesLeft}: unknown login names are counted and locked exactly like real ones
     *               ({@code UnknownLoginNames}), so the wait tells nobody which accounts exist, and the lockout
     *               length is no secret (it is the same for everyone); a user who is told when to come back stops
     *               retrying and extending the lock.
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

        /** Whole minutes until the lock ends, rounded up (at least 1); empty when only an admin's unlock ends it. */
        public java.util.Optional<Long> minutesLeft(Instant now) {
            if (untilUnlocked()) {
                return java.util.Optional.empty();
            }
            long seconds = Math.max(0, java.time.Duration.between(now, until).toSeconds());
            return java.util.Optional.of(Math.max(1, (seconds + 59) / 60));
        }
    }
}
