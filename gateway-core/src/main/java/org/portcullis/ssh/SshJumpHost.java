package org.portcullis.ssh;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.SignInEvent;
import org.portcullis.config.SshConfig;
import org.portcullis.session.SessionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH listener of the {@code ssh:} section (docs/ssh.md), on Apache MINA SSHD. What it allows is exactly:
 * <ul>
 *   <li>sign-in with the {@code password} method, then {@code keyboard-interactive} (the second factor): MINA is told
 *       to require both, in that order ({@link PasswordStep}, {@link SecondFactorStep}); no public-key, host-based or
 *       GSSAPI sign-in, which would skip the second factor;</li>
 *   <li>{@code direct-tcpip} channels to {@code tcp_targets} ({@link TargetChannel}).</li>
 * </ul>
 * Everything else is refused: {@code session} channels (shell, exec, subsystems, agent, X11:
 * {@link RefusedSessionChannel}), remote forwarding ({@link RefusingForwardingFilter}), unknown channel types
 * (MINA's own refusal). An unauthenticated connection is closed after {@code login_timeout}; the server names itself
 * {@code SSH-2.0-Portcullis} (no library version for a scanner to match).
 *
 * <p>One SSH connection is one Portcullis session: it starts at the password (marked "second factor due"), is
 * rotated at the second factor, shows in {@code sessions list}, and ends (sign-out) when the connection closes.
 * Revoking it cuts its streams and closes the connection within a second.
 */
public final class SshJumpHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshJumpHost.class);
    static final String IDENTIFICATION = "Portcullis";
    static final int MAX_AUTH_REQUESTS = 10;
    /** How often approval links are checked for expiry: a waiting connection learns it within this. */
    static final Duration APPROVAL_SWEEP = Duration.ofMillis(250);

    private final SshServer server;
    private final EventLoopGroup targets;
    private final String fingerprint;
    private final ScheduledFuture<?> sweep;

    private SshJumpHost(SshServer server, EventLoopGroup targets, String fingerprint, ScheduledFuture<?> sweep) {
        this.server = server;
        this.targets = targets;
        this.fingerprint = fingerprint;
        this.sweep = sweep;
    }

    /**
     * Starts listening on {@code config.address()} with {@code hostKey}. {@code idle} closes a connection that
     * carried nothing for that long (the session's own idle timeout ends it anyway).
     */
    public static SshJumpHost start(SshConfig config, Duration idle, SshSignInParts parts, KeyPair hostKey)
            throws IOException {
        Objects.requireNonNull(parts, "parts");
        SshAudit audit = new SshAudit(parts.audit());
        EventLoopGroup targets = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(config.address().host());
        server.setPort(config.address().port());
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE,
                UserAuthKeyboardInteractiveFactory.INSTANCE));
        server.setPasswordAuthenticator(new PasswordStep(parts, audit));
        server.setKeyboardInteractiveAuthenticator(new SecondFactorStep(parts, audit));
        server.setPublickeyAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setShellFactory(null);
        server.setCommandFactory(null);
        server.setSubsystemFactories(List.of());
        server.setAgentFactory(null);
        server.setChannelFactories(List.of(TargetChannel.factory(parts, audit, targets),
                RefusedSessionChannel.factory(audit)));
        server.setForwardingFilter(new RefusingForwardingFilter(audit));
        server.setServiceFactories(List.of(ServerUserAuthServiceFactory.INSTANCE, new RefusalMessages()));
        CoreModuleProperties.AUTH_METHODS.set(server, "password,keyboard-interactive");
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, MAX_AUTH_REQUESTS);
        CoreModuleProperties.AUTH_TIMEOUT.set(server, config.loginTimeout());
        CoreModuleProperties.IDLE_TIMEOUT.set(server, idle);
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, IDENTIFICATION);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                SshLogin.attach(session);
            }

            @Override
            public void sessionClosed(Session session) {
                signOut(parts, audit, session);
            }
        });
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            targets.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        String fingerprint = SshHostKeys.fingerprint(hostKey);
        // Expired approval links end their waiting sign-ins (on the injected clock, checked on one of our own threads).
        ScheduledFuture<?> sweep = targets.next().scheduleAtFixedRate(parts.approvals()::sweep,
                APPROVAL_SWEEP.toMillis(), APPROVAL_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        SshJumpHost host = new SshJumpHost(server, targets, fingerprint, sweep);
        LOG.info("SSH jump host listening on {}, host key {} {}", host.boundAddress(), SshHostKeys.type(hostKey),
                fingerprint);
        return host;
    }

    /** The closed connection's session ends with it (the stream, if any, is already closed by then). */
    private static void signOut(SshSignInParts parts, SshAudit audit, Session session) {
        SshLogin login;
        try {
            login = SshLogin.of(session);
        } catch (IllegalStateException e) {
            return;
        }
        login.closedByClient();
        if (login.approval() != null) {
            parts.approvals().cancel(login.approval());
        }
        SessionId id = login.session();
        if (id == null) {
            return;
        }
        try {
            parts.storage().submit(() -> parts.sessions().forConfig(parts.config().get()).logout(id))
                    .whenComplete((ended, error) -> {
                        if (error == null && Boolean.TRUE.equals(ended)) {
                            audit.signIn(SignInEvent.ACTION_SIGN_OUT, AuditOutcome.SUCCESS, "ssh_disconnect",
                                    login.user(), login, id.hash().displayId());
                        }
                    });
        } catch (RuntimeException e) {
            // The gateway is shutting down: the session lives on until its timeout, like a browser's would.
            LOG.debug("session of a closed SSH connection not ended: {}", e.toString());
        }
    }

    /** Closes {@code session} with the farewell its sign-in state holds, if any (OpenSSH prints it). */
    static void closeWithFarewell(Session session, SshLogin login) {
        String message = login.takeFarewell();
        if (message == null || !session.isOpen()) {
            return;
        }
        try {
            session.disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION, message);
        } catch (IOException | RuntimeException e) {
            session.close(true);
        }
    }

    /** Where it listens (the port the kernel chose when the config said 0). */
    public InetSocketAddress boundAddress() {
        for (SocketAddress address : server.getBoundAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet;
            }
        }
        return new InetSocketAddress(server.getHost(), server.getPort());
    }

    /** The host key's SHA-256 fingerprint, as {@code ssh-keygen -lf} and OpenSSH's first-connection prompt show it. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Stops listening and closes every connection (their streams end: remote.close). */
    @Override
    public void close() {
        sweep.cancel(false);
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("SSH jump host did not stop cleanly: {}", e.toString());
        }
        targets.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
