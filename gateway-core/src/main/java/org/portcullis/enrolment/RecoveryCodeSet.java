package org.portcullis.enrolment;

import java.util.List;
import java.util.Objects;

/**
 * Freshly generated recovery codes, the only time they exist in plain text. {@link #reveal()} gives them to the
 * user once; {@link #toString()} never shows them.
 */
public final class RecoveryCodeSet {

    private final String user;
    private final List<String> codes;

    RecoveryCodeSet(String user, List<String> codes) {
        this.user = Objects.requireNonNull(user, "user");
        this.codes = List.copyOf(codes);
    }

    public String user() {
        return user;
    }

    public int size() {
        return codes.size();
    }

    /** The codes as {@code ABCDE-FGHJK}, to show to the user exactly once. */
    public List<String> reveal() {
        return codes.stream().map(c -> CodeAlphabet.grouped(c, RecoveryCodes.GROUP_LENGTH)).toList();
    }

    @Override
    public String toString() {
        return "RecoveryCodeSet[user=" + user + ", codes=" + codes.size() + " <redacted>]";
    }
}
