package org.portcullis.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.portcullis.policy.AuthFactor;

/**
 * The session life cycle on top of a {@link SessionStore}: issue after the first factor, a new id after every further
 * factor, validation with idle and absolute timeouts, logout. Pure logic: time comes from the injected {@link Clock},
 * randomness from the injected {@link SecureRandom}, state from the store; it blocks as long as the store does, so it
 * runs on a {@link org.portcullis.storage.StorageExecutor} thread.
 *
 * <h2>Timeouts</h2>
 * A session is expired from the instant {@code lastSeen + idle} or its absolute expiry is reached (inclusive). Both
 * timeouts are taken from the current {@link SessionSettings}, which the caller builds from the config snapshot of the
 * request being validated, so a reload that shortens {@code idle_timeout} or {@code absolute_timeout} applies to every
 * existing session at its next request. The absolute expiry is the earlier of the one fixed at {@link #start} and
 * {@code created + absolute} now: a shorter setting cuts existing sessions, a longer one never extends them (a reload
 * cannot lengthen a session its user was told would end).
 *
 * <h2>Write throttling</h2>
 * Moving the idle deadline is a write. To keep a busy page (dozens of sub-requests) from writing on every request,
 * {@link #validate} writes only when {@code lastSeen} is at least {@link #touchInterval()} old (one minute, or a quarter
 * of a shorter idle timeout). The effective idle timeout is therefore between {@code idle - touchInterval} and
 * {@code idle}: never longer than configured. The write is a compare-and-set; if another request changed the session
 * meanwhile, the stored version wins and is re-read, so a concurrent revocation is never undone.
 */
public final class SessionManager {

    static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int CAS_ATTEMPTS = 3;

    private final SessionStore store;
    private final SessionSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final SessionCache cache;
    private final Duration touchInterval;

    public SessionManager(SessionStore store, SessionSettings settings, Clock clock, SecureRandom random) {
        this(store, settings, clock, random, null);
    }

    /**
     * @param cache the node's session cache, or null for none; {@code store} must then publish every change to it
     *              ({@link InvalidatingSessionStore})
     */
    public SessionManager(SessionStore store, SessionSettings settings, Clock clock, SecureRandom random,
                          SessionCache cache) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.cache = cache;
        // Once here, not per request: Duration.dividedBy goes through BigDecimal (it showed in the profile).
        Duration quarter = settings.idle().dividedBy(4);
        this.touchInterval = quarter.compareTo(MAX_TOUCH_INTERVAL) < 0 ? quarter : MAX_TOUCH_INTERVAL;
    }

    /**
     * The session of {@code id} from the {@link SessionCache}, checked like {@link #validate} checks a stored one but
     * without blocking, so it may run on an event loop: empty when it is not cached or its idle or absolute deadline
     * has passed by the injected clock under this manager's timeouts (then {@link #validate} reads the store, ends the
     * session and says why). A hit due to move its idle deadline moves it in memory and queues the write.
     */
    public Optional<Session> cached(SessionId id) {
        if (cache == null) {
            return Optional.empty();
        }
        Optional<SessionCache.Entry> entry = cache.entry(id.hash());
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Session current = entry.get().current();
        Instant now = now();
        if (expiry(current, now).isPresent()) {
            return Optional.empty();
        }
        if (Duration.between(current.lastSeen(), now).compareTo(touchInterval()) < 0) {
            return Optional.of(current);
        }
        Session touched = entry.get().stored().touched(now, settings.idle());
        cache.touched(entry.get(), touched);
        return Optional.of(touched);
    }

    /** How old {@code lastSeen} must be before a request moves the idle deadline. */
    public Duration touchInterval() {
        return touchInterval;
    }

    /**
     * A new session for {@code user}, who has just completed {@code firstFactor}. Always a fresh id: an id the client
     * brought along is never promoted (session fixation). The caller deletes any session the client had before.
     */
    public IssuedSession start(String user, AuthFactor firstFactor) {
        return start(user, firstFactor, Map.of());
    }

    /** {@link #start(String, AuthFactor)} with the portal's {@code attributes} (sign-in id, CSRF token). */
    public IssuedSession start(String user, AuthFactor firstFactor, Map<String, String> attributes) {
        Objects.requireNonNull(firstFactor, "firstFactor");
        Instant now = now();
        SessionId id = SessionId.generate(random);
        Session session = new Session(id.hash(), user, now, now, now.plus(settings.idle()),
                now.plus(settings.absolute()), Map.of(firstFactor, now), attributes, 0);
        store.create(session);
        return new IssuedSession(id, session);
    }

    /**
     * A new session on another host for the sign-in of {@code portal} (single sign-on): a fresh id, the same user and
     * factors with their original times (so a {@code max_factor_age} counts from when the factor was really done),
     * and never a longer life than the portal session: the same creation time and absolute expiry.
     */
    public IssuedSession join(Session portal, Map<String, String> attributes) {
        Instant now = now();
        SessionId id = SessionId.generate(random);
        Session session = new Session(id.hash(), portal.user(), portal.created(), now, now.plus(settings.idle()),
                portal.absoluteExpiry(), portal.factors(), attributes, 0);
        store.create(session);
        return new IssuedSession(id, session);
    }

    /** The live session of {@code hash} (not expired), without touching it; for a callback naming its portal session. */
    public Optional<Session> live(SessionIdHash hash) {
        Optional<Session> stored = store.get(hash);
        if (stored.isEmpty() || expiry(stored.get(), now()).isPresent()) {
            return Optional.empty();
        }
        return stored;
    }

    /** Ends every session of one sign-in (sign-out at the portal ends it on every host). */
    public int endSignIn(String user, String attribute, String signInId) {
        return store.deleteByAttribute(user, attribute, signInId);
    }

    /**
     * Ends every session of {@code user} but {@code keep} (SECURITY-RULES 12: after the user's first second factor,
     * a session made with the password alone before it must not go on as if it were enough).
     *
     * @return the ids of the sessions it ended
     */
    public java.util.List<SessionIdHash> endOtherSessions(String user, SessionId keep) {
        return store.deleteOthers(user, keep.hash());
    }

    /**
     * Records {@code factorAdded} (a second factor, or a repeated first factor for step-up) on the session of
     * {@code current} and moves it to a new id in one atomic store step; the old id stops working at once.
     *
     * @return the session under its new id, or empty if {@code current} is not a valid session (unknown, expired,
     *         revoked, or rotated by a concurrent request)
     */
    public Optional<IssuedSession> rotate(SessionId current, AuthFactor factorAdded) {
        return rotate(current, factorAdded, Map.of(), java.util.Set.of());
    }

    /**
     * {@link #rotate(SessionId, AuthFactor)} that also sets the attributes {@code set} and removes {@code remove} in
     * the same atomic store step (the second factor completes the sign-in and drops the "second factor due" mark at
     * once; there is never a moment where one happened without the other).
     */
    public Optional<IssuedSession> rotate(SessionId current, AuthFactor factorAdded, Map<String, String> set,
                                          java.util.Set<String> remove) {
        Objects.requireNonNull(factorAdded, "factorAdded");
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<Session> live = live(current);
            if (live.isEmpty()) {
                return Optional.empty();
            }
            Instant now = now();
            SessionId next = SessionId.generate(random);
            Session replacement = live.get().rotated(next.hash(), factorAdded, now, settings.idle(), set, remove);
            if (store.compareAndSet(live.get(), replacement)) {
                return Optional.of(new IssuedSession(next, replacement));
            }
        }
        // Lost every race: some other request keeps changing this session. Fail closed.
        return Optional.empty();
    }

    /**
     * Sets {@code set} and removes {@code remove} among the attributes of the live session {@code id}, with a
     * compare-and-set (retried when another request changed the session meanwhile), keeping its id.
     *
     * @return the changed session, or empty if {@code id} is no live session
     */
    public Optional<Session> updateAttributes(SessionId id, Map<String, String> set, java.util.Set<String> remove) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<Session> live = live(id);
            if (live.isEmpty()) {
                return Optional.empty();
            }
            Session replacement = live.get().withAttributes(set, remove);
            if (store.compareAndSet(live.get(), replacement)) {
                return Optional.of(replacement);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks {@code id} for this request. An expired session is deleted. A valid one may have its idle deadline moved
     * (see the class notes on throttling).
     */
    public SessionValidation validate(SessionId id) {
        SessionIdHash hash = id.hash();
        // Taken before the read: a change published while this runs keeps the result out of the cache.
        long stamp = cache == null ? 0 : cache.stamp();
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<Session> stored = store.get(hash);
            if (stored.isEmpty()) {
                return new SessionValidation.Unknown();
            }
            Session session = stored.get();
            Optional<Session> moved = cache == null ? Optional.empty() : cache.pendingTouch(session);
            if (moved.isPresent() && store.compareAndSet(session, moved.get())) {
                // This node's requests moved the idle deadline and the write was still queued: write it now.
                session = moved.get();
            }
            Instant now = now();
            Optional<SessionValidation.Expiry> expiry = expiry(session, now);
            if (expiry.isPresent()) {
                store.delete(hash);
                return new SessionValidation.Expired(expiry.get());
            }
            if (Duration.between(session.lastSeen(), now).compareTo(touchInterval()) < 0) {
                return valid(session, stamp);
            }
            Session touched = session.touched(now, settings.idle());
            if (store.compareAndSet(session, touched)) {
                return valid(touched, stamp);
            }
            // Changed meanwhile (another request touched or rotated it, or an admin revoked it): look again.
        }
        // The session keeps changing under us; do not guess.
        return new SessionValidation.Unknown();
    }

    private SessionValidation valid(Session session, long stamp) {
        if (cache != null) {
            cache.fill(session, stamp);
        }
        return new SessionValidation.Valid(session);
    }

    /** Ends the session of {@code id} (logout). True if there was one. */
    public boolean logout(SessionId id) {
        return store.delete(id.hash());
    }

    /** Deletes expired sessions from the store, for a periodic housekeeping task; returns how many. */
    public int purgeExpired() {
        return store.purgeExpired(now());
    }

    private Optional<Session> live(SessionId id) {
        Optional<Session> stored = store.get(id.hash());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (expiry(stored.get(), now()).isPresent()) {
            store.delete(id.hash());
            return Optional.empty();
        }
        return stored;
    }

    private Optional<SessionValidation.Expiry> expiry(Session session, Instant now) {
        if (!now.isBefore(absoluteExpiry(session))) {
            return Optional.of(SessionValidation.Expiry.ABSOLUTE);
        }
        if (!now.isBefore(session.lastSeen().plus(settings.idle()))) {
            return Optional.of(SessionValidation.Expiry.IDLE);
        }
        return Optional.empty();
    }

    /** The session's absolute expiry under the current settings: never later than the one it was created with. */
    private Instant absoluteExpiry(Session session) {
        Instant now = session.created().plus(settings.absolute());
        return now.isBefore(session.absoluteExpiry()) ? now : session.absoluteExpiry();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
