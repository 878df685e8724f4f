package org.portcullis.server;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.AuditSink;
import org.portcullis.cluster.SharedState;
import org.portcullis.audit.ConfigReload;
import org.portcullis.config.ConfigException;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.portcullis.directory.LdapUserDirectory;
import org.portcullis.factor.SecondFactors;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.FileThenDirectory;
import org.portcullis.identity.FileUserDirectory;
import org.portcullis.identity.FirstFactorVerifier;
import org.portcullis.identity.PasswordCheckPool;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.identity.User;
import org.portcullis.identity.UserDirectory;
import org.portcullis.identity.UsersFileReloader;
import org.portcullis.portal.flow.SignInPortal;
import org.portcullis.portal.guard.CallbackCodes;
import org.portcullis.regulation.Regulators;
import org.portcullis.regulation.SqliteFailureCounter;
import org.portcullis.regulation.UnknownLoginNames;
import org.portcullis.session.InvalidatingSessionStore;
import org.portcullis.session.SessionCache;
import org.portcullis.session.SessionCacheKeeper;
import org.portcullis.session.SessionInvalidation;
import org.portcullis.session.SessionInvalidations;
import org.portcullis.session.SessionManagers;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.ops.GatewayChecks;
import org.portcullis.ops.HealthCheck;
import org.portcullis.remote.RdgGateway;
import org.portcullis.signin.DesktopTokens;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.OpenStreamsPublisher;
import org.portcullis.signin.OpenStreamsTable;
import org.portcullis.signin.RequestSessions;
import org.portcullis.signin.SessionResolver;
import org.portcullis.signin.SignInGate;
import org.portcullis.signin.StreamAudit;
import org.portcullis.signin.StreamCloseReason;
import org.portcullis.signin.StreamCuttingSessionStore;
import org.portcullis.signin.StreamEvents;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.storage.Database;
import org.portcullis.storage.PostgresDatabase;
import org.portcullis.ssh.SshSignInParts;
import org.portcullis.storage.StorageExecutor;
import org.portcullis.tcp.ConnectGrants;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * The sign-in machinery of one running gateway, built once at start when the config has {@code storage} and
 * {@code users}, in this one place: the user directory (reloaded when the users file changes), the password pool, the
 * session store and the failure counters, the second factors, and from them the three things the gateway runs with:
 * the {@link RequestSessions} of the request path, the {@link TunnelWatch} and the {@link SignInPortal}. Each of
 * those, and each portal endpoint, is handed only the parts it uses; nothing receives this object.
 *
 * <p>What stays here is the lifecycle: {@link #close()} stops the users file's watch, then the password pool, then
 * the storage threads (queued store work finishes first). The server closes the tunnel watch before (it is the
 * runtime's). The parts tests reach for are readable here too.
 *
 * <p>Session timeouts and lockout limits are read from the config snapshot of each request ({@link SessionManagers},
 * {@link Regulators}), so a config reload that changes them applies to the next request. The users file, the store
 * and the pools stay as they were started: changing {@code users.file} or {@code storage} needs a restart.
 */
public final class SignInAssembly implements AutoCloseable {
    /** Sign-ins parked beyond this many are refused at once ("busy"): each holds a connection and a small form. */
    static final int MAX_WAITING_SIGN_INS = 4096;

    private final UsersFileReloader reloader;
    private final LdapUserDirectory ldap;
    private final PasswordCheckPool passwords;
    private final StorageExecutor sessionReads;
    private final StorageExecutor portalWork;
    private final SessionCacheKeeper cacheKeeper;
    private final SessionInvalidations invalidations;
    private final SessionCache sessionCache;
    private final LiveStreams liveStreams;
    private final OpenStreamsPublisher published;
    private final SecondFactors secondFactors;
    private final Regulators regulators;
    private final RequestSessions requestSessions;
    private final TunnelWatch tunnels;
    private final SignInPortal portal;
    private final RdgGateway remoteDesktops;
    private final SharedState shared;
    private final SshSignInParts sshSignIn;

    /** The parts, as {@link #start} makes them. */
    private record Parts(UsersFileReloader reloader, LdapUserDirectory ldap, PasswordCheckPool passwords, StorageExecutor sessionReads,
                         StorageExecutor portalWork, SessionCacheKeeper cacheKeeper,
                         SessionInvalidations invalidations, SessionCache sessionCache, LiveStreams liveStreams,
                         OpenStreamsPublisher published, SecondFactors secondFactors, Regulators regulators,
                         RequestSessions requestSessions, TunnelWatch tunnels, SignInPortal portal,
                         RdgGateway remoteDesktops, SharedState shared, SshSignInParts sshSignIn) {
    }

    private SignInAssembly(Parts parts) {
        this.reloader = parts.reloader();
        this.ldap = parts.ldap();
        this.passwords = parts.passwords();
        this.sessionReads = parts.sessionReads();
        this.portalWork = parts.portalWork();
        this.cacheKeeper = parts.cacheKeeper();
        this.invalidations = parts.invalidations();
        this.sessionCache = parts.sessionCache();
        this.liveStreams = parts.liveStreams();
        this.published = parts.published();
        this.secondFactors = parts.secondFactors();
        this.regulators = parts.regulators();
        this.requestSessions = parts.requestSessions();
        this.tunnels = parts.tunnels();
        this.portal = parts.portal();
        this.remoteDesktops = parts.remoteDesktops();
        this.shared = parts.shared();
        this.sshSignIn = parts.sshSignIn();
    }

    /**
     * Loads the users file, builds every part and starts watching the file. {@code database} is the open, key-checked
     * store; {@code storage} the threads every store call of a request runs on (closed with this assembly);
     * {@code identity} signs the assertions the portal publishes keys for; {@code currentConfig} the config of the
     * snapshot being served, which the tunnel watch checks sessions with.
     *
     * @throws ConfigException the users file does not load (every error in it)
     */
    static SignInAssembly start(GatewayConfig config, Database database, StorageExecutor storage, Clock clock,
                                AuditSink audit, UpstreamIdentity identity, Supplier<GatewayConfig> currentConfig)
            throws ConfigException, IOException {
        Objects.requireNonNull(config.users(), "users");
        Path usersFile = config.users().file();
        UsersFile users = new UsersFileLoader().load(usersFile);
        Objects.requireNonNull(storage, "storage");
        PasswordCheckPool passwords = PasswordCheckPool.withDefaults();
        SecretBox box = new SecretBox(EncryptionKey.parse(config.storage().encryptionKeyText()));
        SecureRandom random = new SecureRandom();

        // The portal's store work and its slow crypto (PBKDF2 recovery codes, WebAuthn checks) get threads of their
        // own, and password hashing another pool: a flood of sign-ins queues there, never in front of a signed-in
        // user's session lookup, which runs on the threads handed in.
        StorageExecutor portalWork = new StorageExecutor(StorageExecutor.DEFAULT_THREADS,
                StorageExecutor.DEFAULT_QUEUE_CAPACITY, StorageExecutor.DEFAULT_DEADLINE, "portcullis-portal");
        // Every stream is in the audit trail (remote.open, remote.close) and, while open, in the store's table that
        // 'portcullis sessions list' reads.
        OpenStreamsPublisher published = new OpenStreamsPublisher(new OpenStreamsTable(database));
        LiveStreams liveStreams = new LiveStreams(clock, StreamEvents.both(new StreamAudit(audit), published));
        published.countEvery(liveStreams::streams);
        SessionInvalidations invalidations = new SessionInvalidations();
        SessionCache sessionCache = new SessionCache(SessionCache.DEFAULT_CAPACITY);
        invalidations.subscribe(sessionCache);
        SqliteSessionStore sqlite = new SqliteSessionStore(database);
        // Every session this process changes leaves the cache, and every one it ends cuts its streams, at once
        // (SECURITY-RULES 11 and 23).
        SessionManagers sessions = new SessionManagers(new StreamCuttingSessionStore(
                new InvalidatingSessionStore(sqlite, invalidations), liveStreams, clock), clock, random, sessionCache);
        SharedState shared = sharedState(config, database, invalidations, new SqliteFailureCounter(database), clock,
                random);
        Regulators regulators = new Regulators(shared.failures(), clock);
        FileUserDirectory directory = new FileUserDirectory(users);
        // users.ldap: the directory after the file (docs/ldap.md, "Both sources"); null without one.
        LdapUserDirectory ldap = config.users().ldap() == null ? null
                : LdapUserDirectory.start(config.users().ldap(), clock);
        UserDirectory accounts = ldap == null ? directory : new FileThenDirectory(directory, ldap);
        // Every change to who can sign in is in the audit trail: the users file's reloads, applied or refused.
        UsersFileReloader reloader = new UsersFileReloader(usersFile, new UsersFileLoader(), directory,
                (outcome, errors) -> {
                    audit.record(new ConfigReload(errors == 0 ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                            outcome.name(), usersFile.toString(), errors));
                    // Cached sessions are checked against the directory on every hit; dropping them all as well
                    // keeps a reload from ever meeting a copy made under the old file.
                    invalidations.publish(new SessionInvalidation.Everything());
                    // A user removed or disabled in the new file loses their open tunnels now, not at their next
                    // request.
                    liveStreams.endIf(entry -> accounts.find(entry.user()).isEmpty(),
                            StreamCloseReason.USER_REMOVED);
                    liveStreams.endIf(entry -> accounts.find(entry.user()).filter(User::disabled).isPresent(),
                            StreamCloseReason.USER_DISABLED);
                });
        FirstFactorVerifier firstFactor = new FirstFactorVerifier(directory,
                new PasswordHasher(dummyParameters(users)), passwords, ldap);
        SessionResolver resolver = new SessionResolver(storage, accounts, shared.freshness());
        // One sign-in more than there are hashing threads, so a store read overlaps a hash; the rest wait parked.
        SignInGate gate = new SignInGate(passwords.threads() + 1, MAX_WAITING_SIGN_INS);
        SecondFactors secondFactors = new SecondFactors(database, box, clock, random);
        UnknownLoginNames unknownLogins = UnknownLoginNames.loadOrCreate(database, box, clock, random);
        reloader.start();

        CallbackCodes codes = new CallbackCodes(shared.callbackCodes(), clock, CallbackCodes.DEFAULT_TTL, random);
        // Remote desktops (issue 16): the portal issues single-use access tokens, the RD Gateway endpoint redeems them.
        // They, and the codes and tokens of portcullis connect (issue 17), wait in the shared state: with cache.redis
        // any node redeems what another issued (issue 18).
        DesktopTokens desktopTokens = new DesktopTokens(shared.tokenStore(DesktopTokens.MAX_OUTSTANDING), clock,
                random);
        ConnectGrants connectGrants = new ConnectGrants(shared.tokenStore(ConnectGrants.MAX_ENTRIES),
                shared.tokenStore(ConnectGrants.MAX_ENTRIES), clock, random);
        SignInPortal portal = new SignInPortal(audit, codes, clock, random, portalWork, sessions, regulators,
                secondFactors, gate, firstFactor, accounts, unknownLogins, identity, invalidations,
                shared.challenges(), desktopTokens, connectGrants);
        // A reload publishes a new config object: the watch re-decides every open stream with its policy.
        TunnelWatch tunnels = new TunnelWatch(liveStreams, clock, storage, resolver, sqlite, accounts,
                secondFactors::hasSecondFactor, () -> sessions.forConfig(currentConfig.get()), currentConfig::get);
        RequestSessions requestSessions = new RequestSessions(resolver, sessions);
        RdgGateway remoteDesktops = new RdgGateway(desktopTokens, requestSessions, storage, tunnels, currentConfig, audit,
                clock);
        // Last: it starts a thread, and asks the store at once whether another process wrote to it.
        SessionCacheKeeper cacheKeeper = new SessionCacheKeeper(sessionCache, sqlite, database::writesByOthersVersion,
                invalidations);
        return new SignInAssembly(new Parts(reloader, ldap, passwords, storage, portalWork, cacheKeeper, invalidations,
                sessionCache, liveStreams, published, secondFactors, regulators, requestSessions, tunnels, portal,
                remoteDesktops, shared,
                // The SSH jump host signs in with these very parts: one lockout, one TOTP ledger, one session store.
                new SshSignInParts(currentConfig, audit, clock, portalWork, gate, firstFactor, accounts,
                        unknownLogins, regulators, sessions, secondFactors, tunnels, portal.sshApprovals())));
    }

    /**
     * Issue 18: with {@code cache.redis}, challenges, callback codes, address counters and the fan-out of
     * invalidations in Redis; without it on a PostgreSQL store, the fan-out on its {@code LISTEN/NOTIFY}; otherwise
     * everything in this process.
     */
    private static SharedState sharedState(GatewayConfig config, Database database,
                                           SessionInvalidations invalidations, SqliteFailureCounter durable,
                                           Clock clock, SecureRandom random) {
        if (config.cache() != null) {
            return SharedState.redis(config.cache().redis(), invalidations, durable, clock, random);
        }
        if (config.storage().postgresql() != null) {
            if (!(database instanceof PostgresDatabase postgres)) {
                throw new IllegalStateException("storage.postgresql is set but the store is " + database.describe());
            }
            return SharedState.postgres(config.storage().postgresql(), postgres, invalidations, durable, clock,
                    random);
        }
        return SharedState.local(durable, clock, random);
    }

    /**
     * Unknown logins are hashed against a dummy hash with the parameters of the first account, so that they cost
     * what a real account costs (a file with one cost setting, as {@code portcullis users} writes it).
     */
    private static Argon2Parameters dummyParameters(UsersFile users) {
        return users.users().isEmpty() ? Argon2Parameters.defaults()
                : Argon2Parameters.of(users.users().get(0).password());
    }

    /** What the request path resolves sessions with. */
    public RequestSessions requestSessions() {
        return requestSessions;
    }

    /** Ends WebSocket tunnels whose session ended; the runtime's (the server closes it). */
    public TunnelWatch tunnels() {
        return tunnels;
    }

    /** Tells {@code observer} of every question asked of the directory, when there is one (metrics). */
    public void observeDirectory(org.portcullis.directory.DirectoryObserver observer) {
        if (ldap != null) {
            ldap.observe(observer);
        }
    }

    /**
     * The readiness checks of the optional parts sign-in depends on: the directory ({@code users.ldap}) must answer,
     * and with {@code cache.redis} or a PostgreSQL store the fan-out channel must have been heard within its staleness
     * budget.
     */
    public List<HealthCheck> healthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        if (ldap != null) {
            checks.add(GatewayChecks.check("directory", ldap::problem));
        }
        if (shared.shared()) {
            checks.add(GatewayChecks.check("cache", shared::problem));
        }
        return List.copyOf(checks);
    }

    /** The RD Gateway endpoint: remote desktops opened with the portal's access tokens. */
    public RdgGateway remoteDesktops() {
        return remoteDesktops;
    }

    /** The portal's sign-in parts, for the SSH jump host (issue 17). */
    public SshSignInParts sshSignIn() {
        return sshSignIn;
    }

    /** What answers the gateway's own paths. */
    public SignInPortal portal() {
        return portal;
    }

    /** The users file's watch: reloaded on SIGHUP too. */
    public UsersFileReloader usersReloader() {
        return reloader;
    }

    /** The users' second factors (tests enrol and inspect through it). */
    public SecondFactors secondFactors() {
        return secondFactors;
    }

    /** The open streams of signed-in sessions (the server cuts them at shutdown; tests). */
    public LiveStreams liveStreams() {
        return liveStreams;
    }

    /** The failure counters with a snapshot's limits (tests unlock through it). */
    public Regulators regulators() {
        return regulators;
    }

    /** Stops watching the users file, then the pools; queued store work finishes first. */
    @Override
    public void close() {
        reloader.close();
        if (ldap != null) {
            ldap.close();
        }
        published.close();
        passwords.close();
        cacheKeeper.close();
        shared.close();
        portalWork.close();
        sessionReads.close();
    }

    /** The node's session cache (tests, metrics). */
    public SessionCache sessionCache() {
        return sessionCache;
    }

    /** The threads the portal's store work and slow crypto run on (not the session lookups'). */
    public StorageExecutor portalThreads() {
        return portalWork;
    }

    /** Where every session, user or factor change on this node is announced (the cache listens; later the cluster). */
    public SessionInvalidations sessionInvalidations() {
        return invalidations;
    }
}
