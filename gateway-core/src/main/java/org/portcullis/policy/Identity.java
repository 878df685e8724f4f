package org.portcullis.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who a signed-in user is, as passed on to the upstream. Names keep the case of the user store; rule subjects
 * compare them case-insensitively ({@link Locale#ROOT} lower case).
 */
public record Identity(String user, Set<String> groups) {
    public Identity {
        Objects.requireNonNull(user, "user");
        groups = Set.copyOf(groups);
    }

    String userKey() {
        return user.toLowerCase(Locale.ROOT);
    }

    Set<String> groupKeys() {
        return groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
