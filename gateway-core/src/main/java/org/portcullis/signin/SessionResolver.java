package org.portcullis.signin;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.portcullis.identity.User;
import org.portcullis.identity.UserDirectory;
import org.portcullis.session.CacheFreshness;
import org.portcullis.session.CookieLookup;
import org.portcullis.session.Session;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionValidation;
import org.portcullis.storage.StorageException;
import org.portcullis.storage.StorageExecutor;

/**
 * Turns the gateway's cookie on one request into a {@link ResolvedSession}. A request without a usable cookie is
 * answered at once, without touching the store. A cookie whose session is in the node's
 * {@link org.portcullis.session.SessionCache} (and within its deadlines by the injected clock) is answered at once too,
 * with an already completed future, so the caller decides it on the event loop without a thread hop; any other
 * well-formed cookie costs one store read (and, at most once a minute per session, a write that moves the idle
 * deadline), on a storage thread.
 *
 * <p>The account is looked up in the user directory on every request, cached or not, so removing or disabling a user
 * in the users file ends their sessions at the next request, and group changes apply at once. A cached session whose
 * account is gone is not answered from the cache: the store path ends it. A store failure completes the future
 * exceptionally: the caller refuses the request (SECURITY-RULES 10), it never treats the caller as anonymous.
 *
 * <p>In a cluster, a node that may have missed other nodes' revocations for longer than the staleness budget
 * ({@link CacheFreshness}, {@code cache.redis.staleness_budget}) fails every cookie's lookup the same way (503) until
 * the fan-out channel works again.
 */
public final class SessionResolver {
    private final StorageExecutor storage;
    private final UserDirectory directory;
    private final CacheFreshness freshness;

    public SessionResolver(StorageExecutor storage, UserDirectory directory) {
        this(storage, directory, CacheFreshness.ALWAYS);
    }

    public SessionResolver(StorageExecutor storage, UserDirectory directory, CacheFreshness freshness) {
        this.storage = storage;
        this.directory = directory;
        this.freshness = java.util.Objects.requireNonNull(freshness, "freshness");
    }

    /** Resolves {@code cookie} with {@code sessions}' timeouts; completes at once, or later on a storage thread. */
    public CompletableFuture<ResolvedSession> resolve(CookieLookup cookie, SessionManager sessions) {
        if (cookie.outcome() != CookieLookup.Outcome.FOUND) {
            return CompletableFuture.completedFuture(SessionLookups.withoutStore(cookie));
        }
        if (!freshness.fresh()) {
            return CompletableFuture.failedFuture(new StorageException(
                    "session fan-out channel silent for longer than the staleness budget"));
        }
        SessionId id = cookie.id().orElseThrow();
        Optional<Session> cached = sessions.cached(id);
        if (cached.isPresent()) {
            Optional<User> user = enabledAccount(cached.get(), false);
            if (user.isPresent()) {
                return CompletableFuture.completedFuture(resolved(id, cached.get(), user.get()));
            }
        }
        return storage.submit(() -> resolveNow(id, sessions));
    }

    /**
     * The store work itself, on the calling thread (a storage thread), never from the cache: a remote-access token
     * names a session, and its use checks the session as stored now.
     */
    public ResolvedSession resolveNow(SessionId id, SessionManager sessions) {
        SessionValidation validation = sessions.validate(id);
        if (validation instanceof SessionValidation.Expired expired) {
            return ResolvedSession.without(expired.expiry() == SessionValidation.Expiry.IDLE
                    ? ResolvedSession.Status.EXPIRED_IDLE : ResolvedSession.Status.EXPIRED_ABSOLUTE);
        }
        if (!(validation instanceof SessionValidation.Valid valid)) {
            return ResolvedSession.without(ResolvedSession.Status.UNKNOWN);
        }
        Session session = valid.session();
        Optional<User> user = enabledAccount(session, true);
        if (user.isEmpty()) {
            sessions.logout(id);
            return ResolvedSession.without(ResolvedSession.Status.USER_GONE);
        }
        return resolved(id, session, user.get());
    }

    /**
     * The session's account as the directory knows it now, if it still exists under that name and is enabled. On the
     * event loop ({@code confirm} false) only what is already known; on a storage thread the directory may be asked
     * ({@link UserDirectory#confirm}: an LDAP user whose re-check is due), which throws when it cannot be.
     */
    private Optional<User> enabledAccount(Session session, boolean confirm) {
        Optional<User> user = confirm ? directory.confirm(session.user()) : directory.find(session.user());
        if (user.isEmpty() || user.get().disabled() || !user.get().username().equals(session.user())) {
            return Optional.empty();
        }
        return user;
    }

    private static ResolvedSession resolved(SessionId id, Session session, User user) {
        ResolvedSession.Status status = session.attributes().containsKey(ResolvedSession.SECOND_FACTOR_DUE)
                ? ResolvedSession.Status.PENDING_SECOND_FACTOR : ResolvedSession.Status.SIGNED_IN;
        return new ResolvedSession(status, id, session, user);
    }
}
