package org.portcullis.identity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.portcullis.config.PasswordHash;
import org.portcullis.config.UserEntry;

/**
 * One account as a {@link UserDirectory} knows it. {@code username} is canonical (lower case) and is the one name
 * the gateway uses for the account everywhere (sessions, lockout, audit, policy {@code user:} subjects), whichever
 * login was typed. {@code passwordHash} is the locally stored Argon2id hash; {@code toString} never shows it.
 */
public record User(String username, String displayName, Optional<String> email, List<String> groups,
        boolean disabled, PasswordHash passwordHash) {

    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(email, "email");
        groups = List.copyOf(groups);
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    static User of(UserEntry entry) {
        return new User(entry.username(), entry.displayName(), entry.emailAddress(), entry.groups(),
                entry.disabled(), entry.password());
    }

    @Override
    public String toString() {
        return "User[username=" + username + ", displayName=" + displayName + ", email=" + email.orElse("-")
                + ", groups=" + groups + ", disabled=" + disabled + ", passwordHash=(redacted)]";
    }
}
