package org.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code routes[].identity_headers}: the header names that tell a route's upstream who the signed-in user is. An
 * empty name means that piece is not sent. The gateway removes every client copy of these names and of every
 * built-in identity name before it sets its own (SECURITY-RULES 6), so whichever family a route uses, a client can
 * never supply it.
 *
 * <p>Written as {@code remote} (the default, {@link #REMOTE}), {@code x_forwarded} ({@link #X_FORWARDED}),
 * {@code none} ({@link #NONE}), or a mapping {@code {user: …, groups: …, name: …, email: …}} with any of the keys.
 * Names are RFC 9110 tokens that {@link HeaderNameRules} allows, no two the same in any spelling.
 *
 * @param user   carries the canonical user name
 * @param groups carries the user's groups, comma-separated
 * @param name   carries the display name
 * @param email  carries the e-mail address (only sent when the user has one)
 */
public record IdentityHeaders(Optional<String> user, Optional<String> groups, Optional<String> name,
        Optional<String> email) {

    /** The names of Authelia, Apache {@code REMOTE_USER} setups and the default. */
    public static final IdentityHeaders REMOTE = of("Remote-User", "Remote-Groups", "Remote-Name", "Remote-Email");

    /**
     * The {@code X-Forwarded-} family of oauth2-proxy ({@code X-Forwarded-User}, {@code -Email}, {@code -Groups}).
     * oauth2-proxy has no display-name header; {@code X-Forwarded-Name} is Portcullis' own choice (its
     * {@code X-Forwarded-Preferred-Username} carries a login name, not a display name, so reusing it would mislead).
     */
    public static final IdentityHeaders X_FORWARDED =
            of("X-Forwarded-User", "X-Forwarded-Groups", "X-Forwarded-Name", "X-Forwarded-Email");

    /** No identity headers (the route may still send a JWT assertion). */
    public static final IdentityHeaders NONE = new IdentityHeaders(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public IdentityHeaders {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
    }

    /** The default when a route does not say. */
    public static IdentityHeaders defaults() {
        return REMOTE;
    }

    /** Every configured name, in the order user, groups, name, email. */
    public List<String> names() {
        List<String> names = new ArrayList<>(4);
        user.ifPresent(names::add);
        groups.ifPresent(names::add);
        name.ifPresent(names::add);
        email.ifPresent(names::add);
        return List.copyOf(names);
    }

    private static IdentityHeaders of(String user, String groups, String name, String email) {
        return new IdentityHeaders(Optional.of(user), Optional.of(groups), Optional.of(name), Optional.of(email));
    }
}
