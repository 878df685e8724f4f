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

    /**
     * The account {@code username} names, as its source says now: for a directory whose answers are kept for a
     * while ({@code users.ldap.recheck_interval}), the source is asked again when the kept answer is too old. May
     * block on the network: call it from a storage thread, never an event loop. A source that holds everything in
     * memory (the users file) answers as {@link #find}.
     *
     * @throws DirectoryUnavailableException the source could not be asked; the caller refuses (fail closed) and
     *                                       keeps the session, which may be confirmed once the source is back
     */
    default Optional<User> confirm(String username) {
        return find(username);
    }
}
