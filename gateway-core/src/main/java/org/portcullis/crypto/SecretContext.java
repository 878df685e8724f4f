package org.portcullis.crypto;

import java.util.Objects;

/**
 * Identity of one encrypted secret: what it is ({@code totp}), whose ({@code alice}) and which credential. Its
 * {@link #associatedData()} {@code kind|user|credential} is the GCM associated data, so a secret only opens in the
 * row it was sealed for. The parts may not contain {@code |} or control characters, so two different contexts can
 * never have the same text.
 */
public record SecretContext(String kind, String user, String credentialId) {

    static final char SEPARATOR = '|';
    static final int MAX_PART_LENGTH = 320;

    public SecretContext {
        rejectBadPart("kind", kind, false);
        rejectBadPart("user", user, true);
        rejectBadPart("credentialId", credentialId, true);
    }

    /** {@code kind|user|credentialId}. */
    public String associatedData() {
        return kind + SEPARATOR + user + SEPARATOR + credentialId;
    }

    private static void rejectBadPart(String name, String value, boolean mayBeEmpty) {
        Objects.requireNonNull(value, name);
        if (!mayBeEmpty && value.isEmpty()) {
            throw new IllegalArgumentException("SecretContext: " + name + " must not be empty");
        }
        if (value.length() > MAX_PART_LENGTH) {
            throw new IllegalArgumentException("SecretContext: " + name + " is longer than " + MAX_PART_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == SEPARATOR || Character.isISOControl(c)) {
                throw new IllegalArgumentException("SecretContext: " + name + " has a forbidden character (code "
                        + (int) c + ") at index " + i);
            }
        }
    }
}
