package org.portcullis.identity;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.portcullis.config.PasswordHash;
import org.portcullis.config.UserEntry;
import org.portcullis.identity.FirstFactorResult.Failure;
import org.portcullis.identity.FirstFactorResult.Reason;

/**
 * The first factor: a login (username or email) and a password in, one {@link FirstFactorResult} out.
 *
 * <p>Every check costs exactly one Argon2id hash, whatever the outcome, so response time does not tell an attacker
 * whether an account exists (OWASP Authentication Cheat Sheet, "Authentication Responses"): an unknown login is
 * hashed against a dummy hash made at start-up with the hasher's own parameters, and a disabled account's password is
 * hashed too. The user-facing text is the same for all three failures ({@link FirstFactorResult#FAILURE_MESSAGE}).
 *
 * <p>Hashing runs on the {@link PasswordCheckPool}, never on the caller's thread: {@link #verify} returns at once.
 * Lockout and rate limits are not here; they key on {@link Failure#login()} / the user's canonical username.
 */
public final class FirstFactorVerifier {
    private static final int DUMMY_PASSWORD_CHARS = 32;

    private final UserDirectory directory;
    private final HashVerifier hasher;
    private final PasswordCheckPool pool;
    private final PasswordHash dummy;
    private final PasswordDirectory passwordDirectory;

    public FirstFactorVerifier(UserDirectory directory, HashVerifier hasher, PasswordCheckPool pool) {
        this(directory, hasher, pool, null);
    }

    /**
     * @param directory         the users file's accounts, checked first
     * @param passwordDirectory the directory that checks every other login itself (LDAP), or null
     */
    public FirstFactorVerifier(UserDirectory directory, HashVerifier hasher, PasswordCheckPool pool,
                               PasswordDirectory passwordDirectory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.dummy = dummyHash(hasher);
        this.passwordDirectory = passwordDirectory;
    }

    /**
     * Checks {@code password} for {@code login} on the pool. Takes ownership of {@code password}: it is wiped once
     * checked (or at once when the pool is busy), so the caller must not reuse it.
     */
    public CompletableFuture<FirstFactorResult> verify(String login, char[] password) {
        if (passwordDirectory != null && directory.find(login).isEmpty()) {
            // Not a users-file login: the directory decides (docs/ldap.md, "Both sources": the file first).
            return passwordDirectory.authenticate(login, password);
        }
        return pool.submit(() -> verifyNow(login, password), () -> {
            Arrays.fill(password, '\0');
            return new FirstFactorResult.Busy();
        });
    }

    /** The check itself, on the calling thread; package-private for tests. Wipes {@code password}. */
    FirstFactorResult verifyNow(String login, char[] password) {
        try {
            Optional<User> found = directory.find(login);
            if (found.isEmpty()) {
                hasher.verify(password, dummy); // same cost as a real check; the result means nothing
                return new Failure(Reason.UNKNOWN_USER, login == null ? "" : UserEntry.canonicalLogin(login));
            }
            User user = found.get();
            boolean matches = hasher.verify(password, user.passwordHash());
            if (user.disabled()) {
                return new Failure(Reason.DISABLED, user.username());
            }
            return matches ? new FirstFactorResult.Success(user) : new Failure(Reason.WRONG_PASSWORD, user.username());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static PasswordHash dummyHash(HashVerifier hasher) {
        SecureRandom random = new SecureRandom();
        char[] password = new char[DUMMY_PASSWORD_CHARS];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('!' + random.nextInt(94));
        }
        try {
            return hasher.hashOf(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
