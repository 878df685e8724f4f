package org.portcullis.config;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a YAML config file, checks every key and value, and builds a {@link GatewayConfig} only when there was no
 * error. All errors are collected and reported together.
 *
 * <p>Loading goes: file → {@link YamlTreeReader} (YAML syntax, duplicate keys, aliases, {@code ${env:…}} and
 * {@code ${file:…}} values) → one validator per section, always in this order ({@link ServerValidator},
 * {@link LimitsValidator}, {@link RoutesValidator}, {@link NetworksValidator}, {@link AccessControlValidator}, {@link AuditValidator},
 * {@link StorageValidator}, {@link SessionsValidator}, {@link UsersValidator}, {@link LockoutValidator},
 * {@link PortalValidator}, {@link IdentityValidator}, {@link EnrolmentValidator}, {@link TotpValidator},
 * {@link WebAuthnValidator}, {@link CacheValidator}, {@link TcpTargetsValidator}, {@link SshValidator}, with
 * {@link ExceptionChecks} holding the rules against the exception register and {@link EntryPointsValidator} checking
 * {@code entry_points}) →
 * records. Validators never write defaults into anything: absent keys take the defaults the model defines
 * ({@link LimitsConfig#defaults()}, {@link AccessControlConfig#denyAll()}, …). Every problem is rendered as
 * {@code FILE:LINE: path.to.key: message} (see docs/configuration.md for the list).
 */
public final class ConfigLoader {
    static final String SERVER = "server";
    static final String LIMITS = "limits";
    static final String ROUTES = "routes";
    static final String NETWORKS = "networks";
    static final String ACCESS_CONTROL = "access_control";
    static final String AUDIT = "audit";
    static final String STORAGE = "storage";
    static final String SESSIONS = "sessions";
    static final String USERS = "users";
    static final String LOCKOUT = "lockout";
    static final String PORTAL = "portal";
    static final String IDENTITY = "identity";
    static final String ENROLMENT = "enrolment";
    static final String TOTP = "totp";
    static final String WEBAUTHN = "webauthn";
    static final String REMOTE_DESKTOPS = "remote_desktops";
    static final String CACHE = "cache";
    static final String TCP_TARGETS = "tcp_targets";
    static final String SSH = "ssh";
    static final String ENTRY_POINTS = "entry_points";
    static final String CONNECT = "connect";
    static final List<String> KEYS = List.of(SERVER, LIMITS, ROUTES, NETWORKS, ACCESS_CONTROL, AUDIT, STORAGE,
            SESSIONS, USERS, LOCKOUT, PORTAL, IDENTITY, ENROLMENT, TOTP, WEBAUTHN, REMOTE_DESKTOPS, CACHE, TCP_TARGETS,
            SSH, ENTRY_POINTS, CONNECT);

    private final Map<String, String> environment;
    private final Clock clock;

    /** A loader that resolves {@code ${env:…}} from the process environment. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** A loader that resolves {@code ${env:…}} from {@code environment} (tests, or a filtered environment). */
    public ConfigLoader(Map<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    /**
     * A loader that also checks the exception register's review dates against {@code clock} (lapsed and soon-due
     * exceptions are warnings that depend on the day).
     */
    public ConfigLoader(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws ConfigException with every error found (missing or unreadable file included)
     */
    public LoadedConfig load(Path file) throws ConfigException {
        Problems problems = new Problems(file);
        Optional<String> text = FileChecks.readUtf8(file, problems);
        if (text.isEmpty()) {
            throw new ConfigException(problems.errors(), List.of());
        }
        Set<Path> referencedFiles = new LinkedHashSet<>();
        YamlNode root = new YamlTreeReader(problems, new ReferenceResolver(environment, referencedFiles))
                .read(text.get());
        if (root == null) {
            throw new ConfigException(problems.errors(), List.of());
        }
        Path baseDirectory = file.toAbsolutePath().normalize().getParent();
        NodeReader reader = new NodeReader(problems, baseDirectory, referencedFiles);
        Optional<GatewayConfig> config = validate(file, root, reader, referencedFiles, clock);
        if (problems.hasErrors() || config.isEmpty()) {
            throw new ConfigException(problems.errors(), problems.warnings());
        }
        return new LoadedConfig(config.get(), problems.warnings());
    }

    private static Optional<GatewayConfig> validate(Path file, YamlNode root, NodeReader reader,
            Set<Path> referencedFiles, Clock clock) {
        Optional<MappingView> top = reader.mapping(root, KEYS);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        MappingView view = top.get();
        Optional<ServerConfig> server = view.require(SERVER).flatMap(n -> new ServerValidator(reader).validate(n));
        Optional<LimitsConfig> limits = view.get(LIMITS).isPresent()
                ? view.get(LIMITS).flatMap(n -> new LimitsValidator(reader).validate(n))
                : Optional.of(LimitsConfig.defaults());
        boolean signingKeyAvailable = view.has(STORAGE) || IdentityValidator.namesSigningKey(view.get(IDENTITY));
        Optional<List<RouteConfig>> routes = view.get(ROUTES).isPresent()
                ? view.get(ROUTES).flatMap(n -> new RoutesValidator(reader, signingKeyAvailable).validate(n))
                : Optional.of(List.of());
        Map<String, NetworkRef> networks = view.get(NETWORKS)
                .map(n -> new NetworksValidator(reader).validate(n))
                .orElse(Map.of());
        Optional<AccessControlConfig> accessControl = view.get(ACCESS_CONTROL).isPresent()
                ? view.get(ACCESS_CONTROL).flatMap(n -> new AccessControlValidator(reader, networks).validate(n))
                : Optional.of(AccessControlConfig.denyAll());
        if (routes.isPresent() && accessControl.isPresent()) {
            new PathCaseWarnings(reader.problems()).warn(routes.get(), view.get(ROUTES).orElse(null),
                    accessControl.get().rules(), view.get(ACCESS_CONTROL).orElse(null));
        }
        Optional<YamlNode> auditNode = view.get(AUDIT);
        AuditValidator auditValidator = new AuditValidator(reader);
        if (routes.isPresent() && accessControl.isPresent()) {
            new ExceptionChecks(reader.problems(), clock).check(accessControl.get(), routes.get(),
                    view.get(ACCESS_CONTROL).orElse(null));
        }
        Optional<AuditConfig> audit = auditNode.flatMap(auditValidator::validate);
        Optional<StorageConfig> storage = view.get(STORAGE).flatMap(n -> new StorageValidator(reader).validate(n));
        auditValidator.rejectSharedKey(audit.orElse(null), storage.orElse(null));
        Optional<SessionsConfig> sessions = view.get(SESSIONS).isPresent()
                ? view.get(SESSIONS).flatMap(n -> new SessionsValidator(reader).validate(n))
                : Optional.of(SessionsConfig.defaults());
        Optional<UsersConfig> users = view.get(USERS).flatMap(n -> new UsersValidator(reader).validate(n));
        Optional<LockoutConfig> lockout = view.get(LOCKOUT).isPresent()
                ? view.get(LOCKOUT).flatMap(n -> new LockoutValidator(reader).validate(n))
                : Optional.of(LockoutConfig.defaults());
        Optional<PortalConfig> portal = view.get(PORTAL).flatMap(n -> new PortalValidator(reader).validate(n));
        view.get(PORTAL).ifPresent(node -> {
            // The portal signs people in: without users there is nobody to sign in, without storage no session.
            if (!view.has(STORAGE)) {
                reader.problems().error(node, Messages.portalNeeds("storage"));
            }
            if (!view.has(USERS)) {
                reader.problems().error(node, Messages.portalNeeds("users"));
            }
        });
        // A config without routes is a policy sketch for `policy check`: nothing is served, so nothing dead-ends.
        if (!view.has(PORTAL) && accessControl.isPresent() && routes.isPresent() && !routes.get().isEmpty()) {
            SignInWithoutPortalWarning.warn(reader.problems(), accessControl.get(),
                    view.get(ACCESS_CONTROL).orElse(null));
        }
        Optional<IdentityConfig> identity = view.get(IDENTITY).flatMap(n -> new IdentityValidator(reader).validate(n));
        Optional<EnrolmentConfig> enrolment = view.get(ENROLMENT).isPresent()
                ? view.get(ENROLMENT).flatMap(n -> new EnrolmentValidator(reader).validate(n))
                : Optional.of(EnrolmentConfig.defaults());
        Optional<TotpConfig> totp = view.get(TOTP).isPresent()
                ? view.get(TOTP).flatMap(n -> new TotpValidator(reader).validate(n))
                : Optional.of(TotpConfig.defaults());
        Optional<WebAuthnConfig> webauthn = view.get(WEBAUTHN).isPresent()
                ? view.get(WEBAUTHN).flatMap(n -> new WebAuthnValidator(reader).validate(n, portal, view.has(PORTAL)))
                : Optional.of(WebAuthnConfig.defaults());
        Optional<List<RemoteDesktopConfig>> remoteDesktops = view.get(REMOTE_DESKTOPS).isPresent()
                ? view.get(REMOTE_DESKTOPS).flatMap(n -> new RemoteDesktopsValidator(reader, portal.orElse(null))
                        .validate(n))
                : Optional.of(List.of());
        view.get(REMOTE_DESKTOPS).ifPresent(node -> {
            // A desktop is opened from the portal with a token bound to a stored session.
            if (!view.has(PORTAL)) {
                reader.problems().error(node, Messages.remoteDesktopsNeed("portal"));
            }
            if (!view.has(STORAGE)) {
                reader.problems().error(node, Messages.remoteDesktopsNeed("storage"));
            }
        });
        Optional<CacheConfig> cache = view.get(CACHE).flatMap(n -> new CacheValidator(reader).validate(n));
        Optional<List<TcpTargetConfig>> tcpTargets = view.get(TCP_TARGETS).isPresent()
                ? view.get(TCP_TARGETS).flatMap(n -> new TcpTargetsValidator(reader).validate(n))
                : Optional.of(List.of());
        Optional<SshConfig> ssh = view.get(SSH).flatMap(n -> new SshValidator(reader).validate(n));
        Optional<List<EntryPoint>> entryPoints = view.get(ENTRY_POINTS).isPresent()
                ? view.get(ENTRY_POINTS).flatMap(n -> new EntryPointsValidator(reader,
                        protectedNames(routes, remoteDesktops, tcpTargets)).validate(n))
                : Optional.of(List.of());
        // Streams belong to stored sessions of users in the users file; the jump host forwards only to tcp_targets.
        requireSections(view, reader, TCP_TARGETS, STORAGE, USERS);
        requireSections(view, reader, SSH, STORAGE, USERS, TCP_TARGETS);
        Optional<ConnectConfig> connect = view.get(CONNECT).flatMap(n -> new ConnectValidator(reader).validate(n));
        requireSections(view, reader, CONNECT, PORTAL, STORAGE, USERS, TCP_TARGETS);
        if (reader.problems().hasErrors() || remoteDesktops.isEmpty() || tcpTargets.isEmpty()
                || (view.has(SSH) && ssh.isEmpty()) || server.isEmpty() || limits.isEmpty() || routes.isEmpty()
                || accessControl.isEmpty() || (auditNode.isPresent() && audit.isEmpty())
                || (view.has(STORAGE) && storage.isEmpty()) || sessions.isEmpty()
                || (view.has(USERS) && users.isEmpty()) || lockout.isEmpty()
                || (view.has(PORTAL) && portal.isEmpty()) || (view.has(IDENTITY) && identity.isEmpty())
                || enrolment.isEmpty() || totp.isEmpty() || webauthn.isEmpty() || entryPoints.isEmpty()
                || (view.has(CACHE) && cache.isEmpty()) || (view.has(CONNECT) && connect.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new GatewayConfig(file, List.copyOf(referencedFiles), server.get(), limits.get(),
                routes.get(), networks, accessControl.get(), audit.orElse(null), storage.orElse(null),
                sessions.get(), users.orElse(null), lockout.get(), portal.orElse(null), identity.orElse(null),
                enrolment.get(), totp.get(), webauthn.get(), remoteDesktops.get(), cache.orElse(null), tcpTargets.get(),
                ssh.orElse(null), entryPoints.get(), connect.orElse(null)));
    }

    private static void requireSections(MappingView view, NodeReader reader, String section, String... needed) {
        view.get(section).ifPresent(node -> {
            for (String other : needed) {
                if (!view.has(other)) {
                    reader.problems().error(node, Messages.sectionNeeds(section, other));
                }
            }
        });
    }

    /**
     * The names {@code entry_points} may use, by kind: routes, remote desktops and TCP targets (a name that is not
     * there is an error: fail closed).
     */
    private static Map<ProtectedRef.Kind, List<String>> protectedNames(Optional<List<RouteConfig>> routes,
                                                                       Optional<List<RemoteDesktopConfig>> desktops,
                                                                       Optional<List<TcpTargetConfig>> targets) {
        Map<ProtectedRef.Kind, List<String>> names = new EnumMap<>(ProtectedRef.Kind.class);
        names.put(ProtectedRef.Kind.ROUTE, routes.orElse(List.of()).stream().map(RouteConfig::name).toList());
        names.put(ProtectedRef.Kind.DESKTOP, desktops.orElse(List.of()).stream().map(RemoteDesktopConfig::name)
                .toList());
        names.put(ProtectedRef.Kind.TARGET, targets.orElse(List.of()).stream().map(TcpTargetConfig::name).toList());
        return names;
    }
}
