package org.portcullis.identity;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.portcullis.config.UserEntry;
import org.portcullis.config.UsersFile;

/**
 * The accounts of a users file, as an immutable snapshot that {@link #replace(UsersFile)} swaps in one step (the
 * way the gateway swaps its config snapshot): a lookup sees either the old file or the new one, never a mix.
 * {@link UsersFileReloader} calls {@code replace} only with a file that loaded without error.
 */
public final class FileUserDirectory implements UserDirectory {
    private final AtomicReference<Map<String, User>> byLogin = new AtomicReference<>();

    public FileUserDirectory(UsersFile file) {
        replace(file);
    }

    /** Publishes {@code file}'s accounts; lookups from now on see only them. */
    public void replace(UsersFile file) {
        Objects.requireNonNull(file, "file");
        Map<String, User> logins = new HashMap<>();
        for (UserEntry entry : file.users()) {
            User user = User.of(entry);
            logins.put(entry.username(), user);
            entry.emailAddress().ifPresent(email -> logins.put(email, user));
        }
        byLogin.set(Map.copyOf(logins));
    }

    /** How many accounts are loaded. */
    public int size() {
        return (int) byLogin.get().values().stream().map(User::username).distinct().count();
    }

    @Override
    public Optional<User> find(String login) {
        if (login == null || !isAscii(login)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byLogin.get().get(UserEntry.canonicalLogin(login)));
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
