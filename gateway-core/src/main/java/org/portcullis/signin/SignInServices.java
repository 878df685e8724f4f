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
    private final StorageExecutor storage;
    private final LiveStreams liveStreams = new LiveStreams();
    private final DesktopTokens desktopTokens;
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

    private SignInServices(Clock clock, EmbeddedDatabase database, StorageExecutor storage, UsersFile users,
                           java.nio.file.Path usersFile, PasswordCheckPool passwords, SecretBox box, AuditSink audit) {
        this.clock = clock;
        this.desktopTokens = new DesktopTokens(clock, random);
        this.storage = Objects.requireNonNull(storage, "storage");
        // Every session this process ends cuts the session's tunnels at once (SECURITY-RULES 23).
        this.sessionStore = new StreamCuttingSessionStore(new SqliteSessionStore(database), liveStreams);
        this.failures = new SqliteFailureCounter(database);
        this.directory = new FileUserDirectory(users);
        // Every change to who can sign in is in the audit trail: the users file's reloads, applied or refused.
        this.reloader = new UsersFileReloader(usersFile, new UsersFileLoader(), directory, (outcome, errors) -> {
            audit.record(new ConfigReload(errors == 0 ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                    outcome.name(), usersFile.toString(), errors));
            // A user removed or disabled in the new file loses their open tunnels now, not at their next request.
            liveStreams.endIf(entry -> directory.find(entry.user()).filter(user -> !user.disabled()).isEmpty());
        });
        this.passwords = passwords;
        this.firstFactor = new FirstFactorVerifier(directory, new PasswordHasher(dummyParameters(users)), passwords);
        this.resolver = new SessionResolver(storage, directory);
        // One sign-in more than there are hashing threads, so a store read overlaps a hash; the rest wait parked.
        this.gate = new SignInGate(passwords.threads() + 1, MAX_WAITING_SIGN_INS);
        this.secondFactors = new SecondFactors(database, box, clock, random);
        this.unknownLogins = org.portcullis.regulation.UnknownLoginNames.loadOrCreate(database, box, clock, random);
    }

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
     * the threads every store call of a request runs on (closed with these services).
     *
     * @throws ConfigException the users file does not load (every error in it)
     */
    public static SignInServices start(GatewayConfig config, EmbeddedDatabase database, StorageExecutor storage,
                                       Clock clock, AuditSink audit) throws ConfigException, IOException {
        Objects.requireNonNull(config.users(), "users");
        UsersFile users = new UsersFileLoader().load(config.users().file());
        SignInServices services = new SignInServices(clock, database, storage, users, config.users().file(),
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

    public SessionManager sessions(GatewayConfig config) {
        return new SessionManager(sessionStore, SessionSettings.of(config.sessions()), clock, random);
    }

    public Regulator regulator(GatewayConfig config) {
        return new Regulator(failures, RegulationSettings.of(config.lockout()),
                FailureLimit.addressLimit(config.lockout()), clock);
    }

    /** The open tunnels (and later other long-lived streams) of signed-in sessions. */
    /** The remote-desktop access tokens handed out by the portal and redeemed by the RD Gateway endpoint. */
    public DesktopTokens desktopTokens() {
        return desktopTokens;
    }

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

    public StorageExecutor storage() {
        return storage;
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
        storage.close();
    }
}
