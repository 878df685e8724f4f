package org.portcullis.directory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.portcullis.config.LdapConfig;
import org.portcullis.config.PasswordHash;
import org.portcullis.identity.DirectoryUnavailableException;
import org.portcullis.identity.FirstFactorResult;
import org.portcullis.identity.FirstFactorResult.Failure;
import org.portcullis.identity.FirstFactorResult.Reason;
import org.portcullis.identity.PasswordDirectory;
import org.portcullis.identity.User;
import org.portcullis.identity.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's users behind the sign-in's two seams: {@link PasswordDirectory} (the password, by a bind as the
 * user) and {@link UserDirectory} (who a session's user is now).
 *
 * <p><b>What is kept.</b> A user who signed in, or whose session was confirmed, is kept with the time the directory
 * last vouched for them ({@link #find} answers from that, without the network, so the request path never waits on
 * the directory). For {@code users.ldap.recheck_interval} (by the injected clock) that answer stands; after it,
 * {@link #find} no longer answers and the next request of the session asks the directory again through
 * {@link #confirm} (on a storage thread). A user the directory no longer has, or now marks disabled, loses access
 * there: the session is ended and the tunnel watch, which asks {@link #find}, cuts their streams. While the directory
 * is unreachable the kept answer stands until the interval is over; after that {@link #confirm} throws
 * {@link DirectoryUnavailableException} and the request is refused with 503 (fail closed), the session kept for when
 * the directory is back. A background check, once a second, asks the directory again for users still in use a little
 * before their interval ends, so active users rarely wait for it; users not seen since their last confirmation are
 * simply forgotten when their interval ends.
 *
 * <p><b>Threads.</b> Sign-ins run on this directory's own bounded pool ({@code pool_size} threads, the connection
 * pool's size), not on the password-hashing pool: a slow directory holds only these. A full queue answers
 * {@link FirstFactorResult.Busy}.
 */
public final class LdapUserDirectory implements UserDirectory, PasswordDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapUserDirectory.class);
    static final int QUEUE_CAPACITY = 64;
    /** Longest login sent to the directory; longer ones name nobody (AD's userPrincipalName allows 1024). */
    static final int MAX_LOGIN_CHARS = 256;
    static final Duration CHECK_TICK = Duration.ofSeconds(1);

    private final LdapConnections connections;
    private final LdapAccounts accounts;
    private final Clock clock;
    private final Duration recheck;
    private final Duration refreshAhead;
    private final PasswordHash noLocalPassword = unusableHash();
    private final Map<String, Kept> byUsername = new ConcurrentHashMap<>();
    private final Map<String, String> usernameByLogin = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor signIns;
    private final ScheduledExecutorService checker;
    private volatile DirectoryObserver observer = DirectoryObserver.NONE;

    /** A user as the directory last vouched for them, and when; {@code lastUsed} moves on every {@link #find}. */
    private static final class Kept {
        final User user;
        final Instant confirmedAt;
        volatile Instant lastUsed;

        Kept(User user, Instant confirmedAt) {
            this.user = user;
            this.confirmedAt = confirmedAt;
            this.lastUsed = confirmedAt;
        }
    }

    private LdapUserDirectory(LdapConnections connections, LdapConfig config, Clock clock) {
        this.connections = connections;
        this.accounts = new LdapAccounts(connections, config);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recheck = config.recheckInterval();
        Duration fifth = recheck.dividedBy(5);
        this.refreshAhead = fifth.compareTo(Duration.ofMinutes(1)) < 0 ? fifth : Duration.ofMinutes(1);
        this.signIns = new ThreadPoolExecutor(config.poolSize(), config.poolSize(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), daemon("portcullis-ldap-"),
                new ThreadPoolExecutor.AbortPolicy());
        this.checker = Executors.newSingleThreadScheduledExecutor(daemon("portcullis-ldap-recheck-"));
        checker.scheduleWithFixedDelay(this::recheckQuietly, CHECK_TICK.toMillis(), CHECK_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Why the directory cannot serve sign-ins now (readiness): it does not answer a read of its root DSE within the
     * pool's timeouts. A fixed phrase: no address or name.
     */
    public Optional<String> problem() {
        try {
            connections.pool().getRootDSE();
            return Optional.empty();
        } catch (com.unboundid.ldap.sdk.LDAPException | RuntimeException e) {
            return Optional.of("directory does not answer");
        }
    }

    /** Opens the connection pool (the directory may be down: sign-ins then fail closed) and starts the re-check. */
    public static LdapUserDirectory start(LdapConfig config, Clock clock) {
        return new LdapUserDirectory(LdapConnections.open(config), config, clock);
    }

    @Override
    public CompletableFuture<FirstFactorResult> authenticate(String login, char[] password) {
        CompletableFuture<FirstFactorResult> result = new CompletableFuture<>();
        try {
            signIns.execute(() -> {
                long start = System.nanoTime();
                try {
                    FirstFactorResult answer = authenticateNow(login, password);
                    observer.done(DirectoryObserver.SIGN_IN, System.nanoTime() - start,
                            answer instanceof FirstFactorResult.Unavailable);
                    result.complete(answer);
                } catch (RuntimeException e) {
                    observer.done(DirectoryObserver.SIGN_IN, System.nanoTime() - start, true);
                    LOG.warn("users.ldap: sign-in check failed: {}", e.toString());
                    result.complete(new FirstFactorResult.Unavailable());
                } finally {
                    Arrays.fill(password, '\0');
                }
            });
        } catch (RejectedExecutionException e) {
            Arrays.fill(password, '\0');
            result.complete(new FirstFactorResult.Busy());
        }
        return result;
    }

    /** The check itself, on the calling thread. Does not wipe {@code password}. */
    FirstFactorResult authenticateNow(String login, char[] password) {
        String canonical = login == null ? "" : login.toLowerCase(Locale.ROOT);
        if (login == null || login.isEmpty() || login.length() > MAX_LOGIN_CHARS
                || login.chars().anyMatch(Character::isISOControl)) {
            return new Failure(Reason.UNKNOWN_USER, canonical); // names nobody; the directory is not asked
        }
        try {
            Optional<DirectoryEntry> found = accounts.byLogin(login);
            if (found.isEmpty()) {
                return new Failure(Reason.UNKNOWN_USER, canonical);
            }
            DirectoryEntry entry = found.get();
            if (entry.disabled()) {
                // Not even a bind: a disabled account's password is never tried (and never counted by the directory).
                return new Failure(Reason.DISABLED, entry.username());
            }
            LdapAccounts.BindOutcome bound = accounts.bind(entry, password);
            switch (bound) {
                case WRONG_PASSWORD -> {
                    return new Failure(Reason.WRONG_PASSWORD, entry.username());
                }
                case PASSWORD_EXPIRED -> {
                    return new Failure(Reason.PASSWORD_EXPIRED, entry.username());
                }
                case DISABLED -> {
                    return new Failure(Reason.DISABLED, entry.username());
                }
                case OK -> {
                    // Bound as the user, so the entry is theirs: now their groups, then they are kept.
                }
            }
            User user = keep(entry);
            usernameByLogin.put(canonical, user.username());
            return new FirstFactorResult.Success(user);
        } catch (DirectoryUnavailableException e) {
            LOG.warn("users.ldap: sign-in refused, the directory cannot be asked: {}", e.getMessage());
            return new FirstFactorResult.Unavailable();
        }
    }

    @Override
    public Optional<User> find(String login) {
        if (login == null) {
            return Optional.empty();
        }
        String canonical = login.toLowerCase(Locale.ROOT);
        Kept kept = byUsername.get(usernameByLogin.getOrDefault(canonical, canonical));
        Instant now = clock.instant();
        if (kept == null || !now.isBefore(kept.confirmedAt.plus(recheck))) {
            return Optional.empty();
        }
        kept.lastUsed = now;
        return Optional.of(kept.user);
    }

    @Override
    public Optional<User> confirm(String username) {
        Optional<User> fresh = find(username);
        if (fresh.isPresent()) {
            return fresh;
        }
        return refresh(username);
    }

    /** Tells {@code observer} of every question asked of the directory from now on (set once, at start: metrics). */
    public void observe(DirectoryObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Asks the directory about {@code username} now and keeps the answer. */
    private Optional<User> refresh(String username) {
        long start = System.nanoTime();
        Optional<DirectoryEntry> entry;
        try {
            entry = accounts.byUsername(username);
        } catch (RuntimeException e) {
            observer.done(DirectoryObserver.LOOKUP, System.nanoTime() - start, true);
            throw e;
        }
        observer.done(DirectoryObserver.LOOKUP, System.nanoTime() - start, false);
        if (entry.isEmpty() || !entry.get().username().equals(username)) {
            if (byUsername.remove(username) != null) {
                LOG.info("users.ldap: a signed-in user is no longer in the directory; their access ends");
            }
            usernameByLogin.values().removeIf(username::equals);
            return Optional.empty();
        }
        return Optional.of(keep(entry.get()));
    }

    private User keep(DirectoryEntry entry) {
        User user = new User(entry.username(), entry.displayName(), entry.email(),
                entry.disabled() ? java.util.List.of() : accounts.groups(entry), entry.disabled(), noLocalPassword);
        byUsername.put(user.username(), new Kept(user, clock.instant()));
        return user;
    }

    /** One pass of the background check (package-private: tests run it without waiting for the tick). */
    void recheck() {
        Instant now = clock.instant();
        for (Map.Entry<String, Kept> e : byUsername.entrySet()) {
            Kept kept = e.getValue();
            Instant due = kept.confirmedAt.plus(recheck);
            boolean usedSince = kept.lastUsed.isAfter(kept.confirmedAt);
            if (!usedSince) {
                if (!now.isBefore(due)) {
                    byUsername.remove(e.getKey(), kept); // not in use: forgotten; a later request confirms afresh
                }
                continue;
            }
            if (!now.isBefore(due.minus(refreshAhead))) {
                try {
                    refresh(e.getKey());
                } catch (DirectoryUnavailableException unavailable) {
                    // Kept as is: find() stops answering at the end of the interval and confirm() then fails closed.
                    LOG.warn("users.ldap: re-check deferred, the directory cannot be asked: {}",
                            unavailable.getMessage());
                    return;
                }
            }
        }
    }

    private void recheckQuietly() {
        try {
            recheck();
        } catch (RuntimeException e) {
            LOG.warn("users.ldap: re-check failed: {}", e.toString());
        }
    }

    /**
     * For the command line ({@code portcullis users invite}, {@code reset-mfa}): the username of the directory entry
     * that {@code name} names, by username attribute or by login attribute, asked once on a connection of its own.
     *
     * @throws DirectoryUnavailableException the directory cannot be asked
     */
    public static Optional<String> lookUpUsername(LdapConfig config, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LOGIN_CHARS
                || name.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        try (LdapConnections connections = LdapConnections.open(config)) {
            LdapAccounts accounts = new LdapAccounts(connections, config);
            Optional<DirectoryEntry> entry = accounts.byUsername(name);
            if (entry.isEmpty()) {
                entry = accounts.byLogin(name);
            }
            return entry.filter(e -> !e.disabled()).map(DirectoryEntry::username);
        }
    }

    /** How many users are kept (tests). */
    int kept() {
        return byUsername.size();
    }

    @Override
    public void close() {
        checker.shutdownNow();
        signIns.shutdownNow();
        connections.close();
    }

    /**
     * What {@link User#passwordHash()} holds for a directory user: random bytes that are the Argon2id hash of no
     * known password. It is never checked (the file's verifier never sees directory users); it only fills the field.
     */
    private static PasswordHash unusableHash() {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] hash = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return new PasswordHash(PasswordHash.MIN_MEMORY_KIB_ONE_PASS, 1, 1, salt, hash);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
