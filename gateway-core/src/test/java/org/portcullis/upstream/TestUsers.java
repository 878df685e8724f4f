package org.portcullis.upstream;

import java.util.List;
import java.util.Optional;
import org.portcullis.config.PasswordHash;
import org.portcullis.identity.User;

/** Users for the upstream tests; the password hash is never looked at here. */
final class TestUsers {
    static final PasswordHash HASH = new PasswordHash(PasswordHash.MIN_MEMORY_KIB, 2, 1, new byte[16], new byte[32]);

    private TestUsers() {
    }

    static User user(String username, String displayName, String email, List<String> groups) {
        return new User(username, displayName, Optional.ofNullable(email), groups, false, HASH);
    }

    static User alice() {
        return user("alice", "Alice Smith", "alice@example.org", List.of("clinicians", "nurses"));
    }
}
