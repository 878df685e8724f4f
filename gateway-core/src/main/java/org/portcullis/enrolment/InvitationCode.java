package org.portcullis.enrolment;

import java.time.Instant;
import java.util.Objects;

/**
 * A just-issued enrolment code, the only time it exists in plain text. {@link #reveal()} gives it to the admin
 * once; {@link #toString()} never shows it, so logging this object does not leak it.
 */
public final class InvitationCode {

    private final String user;
    private final String code;
    private final Instant expiresAt;

    InvitationCode(String user, String code, Instant expiresAt) {
        this.user = Objects.requireNonNull(user, "user");
        this.code = Objects.requireNonNull(code, "code");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String user() {
        return user;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** The code in groups of four ({@code ABCD-EFGH-…}), to show to the admin exactly once. */
    public String reveal() {
        return CodeAlphabet.grouped(code, InvitationCodes.GROUP_LENGTH);
    }

    @Override
    public String toString() {
        return "InvitationCode[user=" + user + ", expiresAt=" + expiresAt + ", code=<redacted>]";
    }
}
