package org.portcullis.config;

/**
 * {@code enrolment}: how a user without a second factor may enrol one (SECURITY-RULES 15, docs/totp.md).
 *
 * @param allowFirstFactorOnly false (the default): a first enrolment needs a one-time invitation code issued by an
 *                             admin out of band ({@code portcullis users invite}), because a password alone must never
 *                             enrol a factor, or a stolen password becomes a stolen account. True lets a signed-in
 *                             user enrol with the password alone; only for closed test environments, and the gateway
 *                             warns loudly at every start when it is set.
 */
public record EnrolmentConfig(boolean allowFirstFactorOnly) {

    /** What applies when the section or the key is absent: invitations required. */
    public static EnrolmentConfig defaults() {
        return new EnrolmentConfig(false);
    }
}
