package org.portcullis.identity;

import java.util.Optional;

/**
 * Where accounts come from. Today a users file ({@link FileUserDirectory}); an LDAP / Active Directory directory
 * can implement this later without the sign-in flow changing.
 *
 * <p>A login is a username or an email address; both name the same account. Implementations compare in the one
 * canonical form ({@link org.portcullis.config.UserEntry#canonicalLogin(String)}: ASCII lower case), so
 * {@code Alice}, {@code alice} and {@code ALICE@example.org} are one account, also for lockout. A login that is not
 * ASCII never matches. Implementations must be safe to call from any thread and must not block for long: the
 * caller may be a password-pool thread, never an event loop.
 */
public interface UserDirectory {
    /** The account {@code login} names, or empty. Never throws for odd input (null, empty, control characters). */
    Optional<User> find(String login);
}
