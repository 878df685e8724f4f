package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A valid users file: its accounts in file order. Usernames and emails are unique across each other, compared in
 * canonical form ({@link UserEntry#canonicalLogin(String)}); the loader guarantees it and so does this constructor.
 */
public record UsersFile(Path source, List<UserEntry> users) {
    public UsersFile {
        Objects.requireNonNull(source, "source");
        users = List.copyOf(users);
        java.util.Set<String> logins = new java.util.HashSet<>();
        for (UserEntry user : users) {
            if (!logins.add(user.username()) || user.email() != null && !logins.add(user.email())) {
                throw new IllegalArgumentException("users file: login used twice: " + user.username());
            }
        }
    }

    /** The account whose username or email is {@code login} (compared in canonical form). */
    public Optional<UserEntry> find(String login) {
        String canonical = UserEntry.canonicalLogin(login);
        return users.stream()
                .filter(u -> u.username().equals(canonical) || canonical.equals(u.email()))
                .findFirst();
    }
}
