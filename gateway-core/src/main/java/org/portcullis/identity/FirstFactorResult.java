package org.portcullis.identity;

import java.util.Objects;

/**
 * The outcome of a password check. The user sees one of two constant texts: {@link #FAILURE_MESSAGE} for every
 * failure (so a page never tells an attacker whether the account exists, is disabled or just had the wrong
 * password) and {@link #BUSY_MESSAGE} when the gateway shed the check. The {@link Reason} is for the audit log only.
 */
public sealed interface FirstFactorResult
        permits FirstFactorResult.Success, FirstFactorResult.Failure, FirstFactorResult.Busy,
        FirstFactorResult.Unavailable {

    String FAILURE_MESSAGE = "Sign-in failed: the username or password is incorrect.";
    String BUSY_MESSAGE = "Sign-in is busy. Please try again in a moment.";
    String UNAVAILABLE_MESSAGE = "Sign-in is unavailable, try again shortly.";

    /** Why a check failed; audit only, never shown. */
    enum Reason { UNKNOWN_USER, WRONG_PASSWORD, DISABLED, PASSWORD_EXPIRED }

    /** The password matched an enabled account. */
    record Success(User user) implements FirstFactorResult {
        public Success {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The check failed. {@code login} is the canonical login that was tried (for per-account lockout and audit);
     * it is the username when the account exists.
     */
    record Failure(Reason reason, String login) implements FirstFactorResult {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(login, "login");
        }

        public String userMessage() {
            return FAILURE_MESSAGE;
        }
    }

    /** The password pool was full: nothing was checked, nothing counts as a failed attempt. */
    record Busy() implements FirstFactorResult {
        public String userMessage() {
            return BUSY_MESSAGE;
        }
    }

    /**
     * The user directory could not be asked (unreachable, timed out, refused the service account): nothing was
     * checked, nothing counts as a failed attempt, and the sign-in is refused (fail closed).
     */
    record Unavailable() implements FirstFactorResult {
        public String userMessage() {
            return UNAVAILABLE_MESSAGE;
        }
    }
}
