package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole validated configuration. Built only by {@link ConfigLoader} after every check passed.
 *
 * @param source          the YAML file it was read from
 * @param referencedFiles every other file it read (certificates, keys, CA bundles, {@code ${file:…}} values), watched
 *                        for hot reload
 * @param audit           where the audit trail goes, or null when no audit file is configured
 * @param storage         the local store and its encryption key, or null when none is configured
 * @param sessions        session timeouts; null means {@link SessionsConfig#defaults()}
 * @param users           the users file, or null when none is configured
 * @param lockout         sign-in failure limits; null means {@link LockoutConfig#defaults()}
 * @param portal          the sign-in portal's origin and branding, or null when none is configured
 * @param identity        issuer and signing key of the JWT assertions, or null when the section is absent (see
 *                        {@link IdentityConfig#issuer(IdentityConfig, java.net.URI)} for the defaults)
 * @param enrolment       how second factors are enrolled; null means {@link EnrolmentConfig#defaults()}
 * @param totp            parameters of new TOTP enrolments and the verification window; null means
 *                        {@link TotpConfig#defaults()}
 * @param webauthn        the WebAuthn relying party (security keys, passkeys); null means
 *                        {@link WebAuthnConfig#defaults()}, which derives everything from {@code portal}
 * @param remoteDesktops  the desktops published through the RD Gateway endpoint (empty: none)
 * @param cache           state shared by the nodes of a cluster ({@code cache.redis}), or null: each node keeps it in
 *                        its own memory
 * @param tcpTargets      TCP services reachable through the SSH jump host and {@code portcullis connect} (empty: none)
 * @param ssh             the SSH jump host, or null when it is off
 * @param entryPoints     the protected systems' own addresses as seen from outside ({@code entry_points}), for
 *                        {@code coverage check}; empty when none are declared
 * @param connect         options of {@code portcullis connect}; null means {@link ConnectConfig#defaults()}
 */
public record GatewayConfig(
        Path source,
        List<Path> referencedFiles,
        ServerConfig server,
        LimitsConfig limits,
        List<RouteConfig> routes,
        Map<String, NetworkRef> networks,
        AccessControlConfig accessControl,
        AuditConfig audit,
        StorageConfig storage,
        SessionsConfig sessions,
        UsersConfig users,
        LockoutConfig lockout,
        PortalConfig portal,
        IdentityConfig identity,
        EnrolmentConfig enrolment,
        TotpConfig totp,
        WebAuthnConfig webauthn,
        List<RemoteDesktopConfig> remoteDesktops,
        CacheConfig cache,
        List<TcpTargetConfig> tcpTargets,
        SshConfig ssh,
        List<EntryPoint> entryPoints,
        ConnectConfig connect) {

    public GatewayConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessControl, "accessControl");
        referencedFiles = List.copyOf(referencedFiles);
        routes = List.copyOf(routes);
        networks = Map.copyOf(networks);
        sessions = sessions == null ? SessionsConfig.defaults() : sessions;
        lockout = lockout == null ? LockoutConfig.defaults() : lockout;
        enrolment = enrolment == null ? EnrolmentConfig.defaults() : enrolment;
        totp = totp == null ? TotpConfig.defaults() : totp;
        webauthn = webauthn == null ? WebAuthnConfig.defaults() : webauthn;
        remoteDesktops = remoteDesktops == null ? List.of() : List.copyOf(remoteDesktops);
        tcpTargets = tcpTargets == null ? List.of() : List.copyOf(tcpTargets);
        entryPoints = entryPoints == null ? List.of() : List.copyOf(entryPoints);
        connect = connect == null ? ConnectConfig.defaults() : connect;
    }

    /** A config with the default {@code connect} section (the shape before that section existed). */
    public GatewayConfig(Path source, List<Path> referencedFiles, ServerConfig server, LimitsConfig limits,
                         List<RouteConfig> routes, Map<String, NetworkRef> networks,
                         AccessControlConfig accessControl, AuditConfig audit, StorageConfig storage,
                         SessionsConfig sessions, UsersConfig users, LockoutConfig lockout, PortalConfig portal,
                         IdentityConfig identity, EnrolmentConfig enrolment, TotpConfig totp,
                         WebAuthnConfig webauthn, List<RemoteDesktopConfig> remoteDesktops, CacheConfig cache,
                         List<TcpTargetConfig> tcpTargets, SshConfig ssh, List<EntryPoint> entryPoints) {
        this(source, referencedFiles, server, limits, routes, networks, accessControl, audit, storage, sessions, users,
                lockout, portal, identity, enrolment, totp, webauthn, remoteDesktops, cache, tcpTargets, ssh,
                entryPoints, null);
    }

    /** A config without remote desktops, {@code cache}, TCP targets, SSH and {@code entry_points} (the shape before those sections existed). */
    public GatewayConfig(Path source, List<Path> referencedFiles, ServerConfig server, LimitsConfig limits,
                         List<RouteConfig> routes, Map<String, NetworkRef> networks,
                         AccessControlConfig accessControl, AuditConfig audit, StorageConfig storage,
                         SessionsConfig sessions, UsersConfig users, LockoutConfig lockout, PortalConfig portal,
                         IdentityConfig identity, EnrolmentConfig enrolment, TotpConfig totp,
                         WebAuthnConfig webauthn) {
        this(source, referencedFiles, server, limits, routes, networks, accessControl, audit, storage, sessions, users,
                lockout, portal, identity, enrolment, totp, webauthn, null, null, null, null, null);
    }

    /** A config with the default {@code webauthn} section (the shape before that section existed). */
    public GatewayConfig(Path source, List<Path> referencedFiles, ServerConfig server, LimitsConfig limits,
                         List<RouteConfig> routes, Map<String, NetworkRef> networks,
                         AccessControlConfig accessControl, AuditConfig audit, StorageConfig storage,
                         SessionsConfig sessions, UsersConfig users, LockoutConfig lockout, PortalConfig portal,
                         IdentityConfig identity, EnrolmentConfig enrolment, TotpConfig totp) {
        this(source, referencedFiles, server, limits, routes, networks, accessControl, audit, storage, sessions, users,
                lockout, portal, identity, enrolment, totp, null);
    }

    /** A config with the default {@code totp} section (the shape before that section existed). */
    public GatewayConfig(Path source, List<Path> referencedFiles, ServerConfig server, LimitsConfig limits,
                         List<RouteConfig> routes, Map<String, NetworkRef> networks,
                         AccessControlConfig accessControl, AuditConfig audit, StorageConfig storage,
                         SessionsConfig sessions, UsersConfig users, LockoutConfig lockout, PortalConfig portal,
                         IdentityConfig identity, EnrolmentConfig enrolment) {
        this(source, referencedFiles, server, limits, routes, networks, accessControl, audit, storage, sessions, users,
                lockout, portal, identity, enrolment, null);
    }

    /** A config with the default {@code enrolment} section (the shape before that section existed). */
    public GatewayConfig(Path source, List<Path> referencedFiles, ServerConfig server, LimitsConfig limits,
                         List<RouteConfig> routes, Map<String, NetworkRef> networks,
                         AccessControlConfig accessControl, AuditConfig audit, StorageConfig storage,
                         SessionsConfig sessions, UsersConfig users, LockoutConfig lockout, PortalConfig portal,
                         IdentityConfig identity) {
        this(source, referencedFiles, server, limits, routes, networks, accessControl, audit, storage, sessions, users,
                lockout, portal, identity, null, null);
    }

    /** This config with {@code audit} in place of its own (a reload keeps the running sink's settings). */
    public GatewayConfig withAudit(AuditConfig other) {
        return new GatewayConfig(source, referencedFiles, server, limits, routes, networks, accessControl, other,
                storage, sessions, users, lockout, portal, identity, enrolment, totp, webauthn, remoteDesktops,
                cache, tcpTargets, ssh, entryPoints, connect);
    }

    /** This config with {@code storage} in place of its own (a reload keeps the open store). */
    public GatewayConfig withStorage(StorageConfig other) {
        return new GatewayConfig(source, referencedFiles, server, limits, routes, networks, accessControl, audit,
                other, sessions, users, lockout, portal, identity, enrolment, totp, webauthn, remoteDesktops,
                cache, tcpTargets, ssh, entryPoints, connect);
    }

    /** This config with {@code server} and the files to watch in place of its own (a reload keeps the listeners). */
    public GatewayConfig withServer(ServerConfig other, List<Path> files) {
        return new GatewayConfig(source, files, other, limits, routes, networks, accessControl, audit, storage,
                sessions, users, lockout, portal, identity, enrolment, totp, webauthn, remoteDesktops,
                cache, tcpTargets, ssh, entryPoints, connect);
    }
}
