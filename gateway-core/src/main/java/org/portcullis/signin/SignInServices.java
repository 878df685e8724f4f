package org.portcullis.signin;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.AuditSink;
import org.portcullis.audit.ConfigReload;
import org.portcullis.config.ConfigException;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.portcullis.factor.SecondFactors;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.FileUserDirectory;
import org.portcullis.identity.FirstFactorVerifier;
import org.portcullis.identity.PasswordCheckPool;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.identity.UserDirectory;
import org.portcullis.identity.UsersFileReloader;
import org.portcullis.regulation.FailureLimit;
import org.portcullis.regulation.RegulationSettings;
import org.portcullis.regulation.Regulator;
import org.portcullis.regulation.SqliteFailureCounter;
import org.portcullis.session.InvalidatingSessionStore;
import org.portcullis.session.SessionCache;
import org.portcullis.session.SessionCacheKeeper;
import org.portcullis.session.SessionInvalidation;
import org.portcullis.session.SessionInvalidations;
import org.portcullis.session.SessionManager;
import org.portcullis.session.SessionSettings;
import org.portcullis.session.SessionStore;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.StorageExecutor;

/**
 * The sign-in machinery of one running gateway, built once at start when the config has {@code storage} and
 * {@code users}: the user directory (reloaded when the users file changes), the password pool, the storage threads,
 * the session store and the failure counters.
 *
 * <p>Session timeouts and lockout limits are read from the config snapshot of each request ({@link #sessions},
 * {@link #regulator}), so a config reload that changes them applies to the next request. The users file, the store
 * and the pools stay as they were started: changing {@code users.file} or {@code storage} needs a restart.
 */
public final class SignInServices implements AutoCloseable {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final StorageExecutor sessionReads;
    private final StorageExecutor portalWork;
    private final LiveStreams liveStreams = new LiveStreams();
    private final SessionInvalidations invalidations = new SessionInvalidations();
    private final SessionCache sessionCache = new SessionCache(SessionCache.DEFAULT_CAPACITY);
    private final SessionCacheKeeper cacheKeeper;
    private final SessionStore sessionStore;
    private final SqliteFailureCounter failures;
    private final FileUserDirectory directory;
    private final UsersFileReloader reloader;
    private final PasswordCheckPool passwords;
    private final FirstFactorVerifier firstFactor;
    private final SessionResolver resolver;
    private final SignInGate gate;
    private final SecondFactors secondFactors;
    private final org.portcullis.regulation.UnknownLoginNames unknownLogins;

    private SignInServices(Clock clock, EmbeddedDatabase database, StorageExecutor sessionReads,
                           StorageExecutor portalWork, UsersFile users, java.nio.file.Path usersFile,
                           PasswordCheckPool passwords, SecretBox box, AuditSink audit) {
        this.clock = clock;
        this.sessionReads = Objects.requireNonNull(sessionReads, "sessionReads");
        this.portalWork = Objects.requireNonNull(portalWork, "portalWork");
        // Every session this process changes leaves the cache, and every one it ends cuts its tunnels, at once
        // (SECURITY-RULES 11 and 23).
        SqliteSessionStore sqlite = new SqliteSessionStore(database);
        invalidations.subscribe(sessionCache);
        this.sessionStore = new StreamCuttingSessionStore(new InvalidatingSessionStore(sqlite, invalidations),
                liveStreams);
        this.failures = new SqliteFailureCounter(database);
        this.directory = new FileUserDirectory(users);
        // Every change to who can sign in is in the audit trail: the users file's reloads, applied or refused.
        this.reloader = new UsersFileReloader(usersFile, new UsersFileLoader(), directory, (outcome, errors) -> {
            audit.record(new ConfigReload(errors == 0 ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                    outcome.name(), usersFile.toString(), errors));
            // Cached sessions are checked against the directory on every hit; dropping them all as well keeps a reload
            // from ever meeting a copy made under the old file.
            invalidations.publish(new SessionInvalidation.Everything());
            // A user removed or disabled in the new file loses their open tunnels now, not at their next request.
            liveStreams.endIf(entry -> directory.find(entry.user()).filter(user -> !user.disabled()).isEmpty());
        });
        this.passwords = passwords;
        this.firstFactor = new FirstFactorVerifier(directory, new PasswordHasher(dummyParameters(users)), passwords);
        this.resolver = new SessionResolver(sessionReads, directory);
        // One sign-in more than there are hashing threads, so a store read overlaps a hash; the rest wait parked.
        this.gate = new SignInGate(passwords.threads() + 1, MAX_WAITING_SIGN_INS);
        this.secondFactors = new SecondFactors(database, box, clock, random);
        this.unknownLogins = org.portcullis.regulation.UnknownLoginNames.loadOrCreate(database, box, clock, random);
        // Last: it starts a thread, and asks the store at once whether another process wrote to it.
        this.cacheKeeper = new SessionCacheKeeper(sessionCache, sqlite, database::writesByOthersVersion,
                invalidations);
    }

    private volatile ManagerFor lastManager;

    /** Sign-ins parked beyond this many are refused at once ("busy"): each holds a connection and a small form. */
    static final int MAX_WAITING_SIGN_INS = 4096;

    /** What the trail, the lockout and the logs record for a login that names no account (never the text). */
    public org.portcullis.regulation.UnknownLoginNames unknownLogins() {
        return unknownLogins;
    }

    public SignInGate gate() {
        return gate;
    }

    /** The users' second factors (TOTP authenticators, step ledger, invitation and recovery codes). */
    public SecondFactors secondFactors() {
        return secondFactors;
    }

    /**
     * Loads the users file and starts watching it. {@code database} is the open, key-checked store; {@code storage}
     * the threads session lookups run on (closed with these services). The portal's store work and its slow crypto
     * (PBKDF2 recovery codes, WebAuthn checks) get a pool of their own, {@link #storage()}, and password hashing
     * another ({@link PasswordCheckPool}): a flood of sign-ins queues there, never in front of a signed-in user's
     * session lookup.
     *
     * @throws ConfigException the users file does not load (every error in it)
     */
    public static SignInServices start(GatewayConfig config, EmbeddedDatabase database, StorageExecutor storage,
                                       Clock clock, AuditSink audit) throws ConfigException, IOException {
        Objects.requireNonNull(config.users(), "users");
        UsersFile users = new UsersFileLoader().load(config.users().file());
        StorageExecutor portalWork = new StorageExecutor(StorageExecutor.DEFAULT_THREADS,
                StorageExecutor.DEFAULT_QUEUE_CAPACITY, StorageExecutor.DEFAULT_DEADLINE, "portcullis-portal");
        SignInServices services = new SignInServices(clock, database, storage, portalWork, users,
                config.users().file(),
                PasswordCheckPool.withDefaults(),
                new SecretBox(EncryptionKey.parse(config.storage().encryptionKeyText())), audit);
        services.reloader.start();
        return services;
    }

    /**
     * Unknown logins are hashed against a dummy hash with the parameters of the first account, so that they cost
     * what a real account costs (a file with one cost setting, as {@code portcullis users} writes it).
     */
    private static Argon2Parameters dummyParameters(UsersFile users) {
        return users.users().isEmpty() ? Argon2Parameters.defaults()
                : Argon2Parameters.of(users.users().get(0).password());
    }

    /** The session life cycle under {@code config}'s timeouts; built once per config snapshot, not per request. */
    public SessionManager sessions(GatewayConfig config) {
        ManagerFor last = lastManager;
        if (last != null && last.config() == config) {
            return last.manager();
        }
        SessionManager manager = new SessionManager(sessionStore, SessionSettings.of(config.sessions()), clock,
                random, sessionCache);
        lastManager = new ManagerFor(config, manager);
        return manager;
    }

    /** The manager made for one config snapshot (a reload makes a new config object, so a new manager). */
    private record ManagerFor(GatewayConfig config, SessionManager manager) {
    }

    public Regulator regulator(GatewayConfig config) {
        return new Regulator(failures, RegulationSettings.of(config.lockout()),
                FailureLimit.addressLimit(config.lockout()), clock);
    }

    /** The open tunnels (and later other long-lived streams) of signed-in sessions. */
    public LiveStreams liveStreams() {
        return liveStreams;
    }

    public SessionResolver resolver() {
        return resolver;
    }

    public UserDirectory directory() {
        return directory;
    }

    public FirstFactorVerifier firstFactor() {
        return firstFactor;
    }

    /** The threads the portal's store work and slow crypto run on (not the session lookups': see {@link #start}). */
    public StorageExecutor storage() {
        return portalWork;
    }

    /** The threads session lookups run on: cache misses and the tunnel watch's checks. */
    public StorageExecutor sessionReads() {
        return sessionReads;
    }

    /** Where every session, user or factor change on this node is announced (the cache listens; later the cluster). */
    public SessionInvalidations sessionInvalidations() {
        return invalidations;
    }

    public SessionCache sessionCache() {
        return sessionCache;
    }

    public UsersFileReloader usersReloader() {
        return reloader;
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    /** Stops watching the users file, then the pools; queued store work finishes first. */
    @Override
    public void close() {
        reloader.close();
        passwords.close();
        cacheKeeper.close();
        portalWork.close();
        sessionReads.close();
    }
}
