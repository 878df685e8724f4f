package org.portcullis.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One account of the users file. {@code username} and {@code email} are held in their canonical form (ASCII,
 * lower case, see {@link #canonicalLogin(String)}), so that {@code Alice}, {@code alice} and
 * {@code ALICE@example.org} all name one account, also for lockout. {@code displayName} is what pages and identity
 * headers show; it defaults to the username. {@code email} may be null. {@code toString} never shows the hash.
 */
public record UserEntry(String username, String displayName, String email, List<String> groups, boolean disabled,
        PasswordHash password) {

    public UserEntry {
        username = canonicalLogin(Objects.requireNonNull(username, "username"));
        displayName = displayName == null ? username : displayName;
        email = email == null ? null : canonicalLogin(email);
        groups = groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).distinct().toList();
        Objects.requireNonNull(password, "password");
    }

    /**
     * The one form in which logins are compared: lower case with {@link Locale#ROOT}. Usernames and emails are
     * ASCII only (the loader refuses anything else), so this is exact; Unicode case folding is not used because it
     * maps distinct characters onto one (the Kelvin sign {@code U+212A} lowercases to {@code k}).
     */
    public static String canonicalLogin(String login) {
        return login.toLowerCase(Locale.ROOT);
    }

    public Optional<String> emailAddress() {
        return Optional.ofNullable(email);
    }

    public UserEntry withPassword(PasswordHash newPassword) {
        return new UserEntry(username, displayName, email, groups, disabled, newPassword);
    }

    public UserEntry withDisabled(boolean newDisabled) {
        return new UserEntry(username, displayName, email, groups, newDisabled, password);
    }

    @Override
    public String toString() {
        return "UserEntry[username=" + username + ", displayName=" + displayName + ", email=" + email + ", groups="
                + groups + ", disabled=" + disabled + ", password=(redacted)]";
    }
}
