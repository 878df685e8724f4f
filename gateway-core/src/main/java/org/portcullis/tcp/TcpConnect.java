package org.portcullis.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.SecondFactor;
import org.portcullis.config.TcpTargetConfig;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.policy.AuthState;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.RequestSessions;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.signin.StreamKind;
import org.portcullis.signin.TunnelWatch;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.storage.StorageExecutor;

/**
 * The tunnel endpoint of {@code portcullis connect}: decides whether one WebSocket upgrade to
 * {@value #TUNNEL_PREFIX}{@code NAME} on the portal's host may open a TCP stream to the {@code tcp_targets} entry
 * {@code NAME}, and opens its connection to the target. In this order, each refusal with its own code (the access log
 * and the audit trail's {@code access.decision} name it):
 * <ol>
 *   <li>the portal's host, a target name of the config's syntax, a WebSocket upgrade without a body, no {@code Origin}
 *       (a browser page never holds a connect token, so a browser's request is refused outright);</li>
 *   <li>exactly one {@code Authorization: Bearer} token (401); then, on a storage thread (the token store may be
 *       Redis), one that {@link ConnectGrants} knows and that has not expired (401), issued for this very target
 *       (403);</li>
 *   <li>the target still configured (404);</li>
 *   <li>on a storage thread: the token's session still signed in, read from the store like a cookie's (401), with
 *       two factors of a kind the target accepts (403), and the user (with their present groups) among the target's
 *       subjects (403).</li>
 * </ol>
 * The gateway connects only to the configured {@code address} of the named entry; nothing the client sends names a
 * host or port (SECURITY-RULES 24). An admitted stream is registered in the live-stream registry with the target's
 * {@code max_duration} and {@code idle_timeout} and a re-decision for config reloads, so it ends within a second of
 * its session (rule 23).
 */
public final class TcpConnect {
    public static final String TUNNEL_PREFIX = PortalPaths.PREFIX + "connect/tunnel/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final String BEARER = "Bearer ";
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** How a tunnel request was decided. */
    public sealed interface Verdict {
    }

    /** Refused with {@code status}; {@code code} names the reason in the access log and the audit trail. */
    public record Refused(int status, String code) implements Verdict {
    }

    /** Admitted: connect to {@code address} and register the stream with {@code opening}. */
    public record Admitted(TcpTargetConfig target, InetSocketAddress address, LiveStreams.Opening opening)
            implements Verdict {
    }

    private final ConnectGrants grants;
    private final RequestSessions sessions;
    private final StorageExecutor storage;
    private final TunnelWatch watch;
    private final Supplier<GatewaySnapshot> snapshots;
    private final Class<? extends SocketChannel> channelType;
    private final Clock clock;

    /**
     * @param storage     the threads session lookups run on
     * @param snapshots   the snapshot served now (a reload re-decides open streams with it)
     * @param channelType the transport's client channel, for connections to targets
     */
    public TcpConnect(ConnectGrants grants, RequestSessions sessions, StorageExecutor storage, TunnelWatch watch,
                      Supplier<GatewaySnapshot> snapshots, Class<? extends SocketChannel> channelType) {
        this.grants = Objects.requireNonNull(grants, "grants");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.watch = Objects.requireNonNull(watch, "watch");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.clock = watch.clock();
    }

    /** True for the tunnel endpoint's paths (canonical), which the portal's pages never answer. */
    public static boolean isTunnelPath(String canonicalPath) {
        return canonicalPath.startsWith(TUNNEL_PREFIX);
    }

    /** True for a name a {@code tcp_targets} entry can have. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Decides {@code request} under {@code snapshot}: at once when it is refused before the store is needed, else on
     * a storage thread. Never completes exceptionally for a refusal; a failed store completes it exceptionally (the
     * caller answers 503).
     */
    public CompletableFuture<Verdict> admit(CanonicalRequest request, GatewaySnapshot snapshot, boolean bodyFollows) {
        String name = request.path().substring(TUNNEL_PREFIX.length());
        boolean portalHost = snapshot.portal().map(p -> p.isPortalHost(request)).orElse(false);
        if (!portalHost || !validName(name)) {
            return done(404, "CONNECT_NOT_FOUND");
        }
        if (!request.websocketUpgrade() || bodyFollows || !"GET".equals(request.method())) {
            return done(400, "CONNECT_NOT_WEBSOCKET");
        }
        if (request.headers().contains(HttpHeaderNames.ORIGIN)) {
            return done(403, "CONNECT_BROWSER_ORIGIN");
        }
        Optional<String> token = bearer(request.headers());
        if (token.isEmpty()) {
            return done(401, "CONNECT_TOKEN_MISSING");
        }
        if (!ConnectGrants.wellFormedToken(token.get())) {
            // Refused here, on the event loop: junk never takes a storage thread's turn.
            return done(401, "CONNECT_TOKEN_INVALID");
        }
        GatewayConfig config = snapshot.config();
        // The token is looked up on a storage thread too: in a cluster its store is Redis.
        return storage.submit(() -> decide(token.get(), name, request, config));
    }

    private Verdict decide(String token, String name, CanonicalRequest request, GatewayConfig config) {
        ConnectGrants.Lookup lookup = grants.lookup(token);
        if (lookup.refusal() == ConnectGrants.Refusal.EXPIRED) {
            return new Refused(401, "CONNECT_TOKEN_EXPIRED");
        }
        if (lookup.grant() == null) {
            return new Refused(401, "CONNECT_TOKEN_INVALID");
        }
        ConnectGrants.Grant grant = lookup.grant();
        if (!grant.target().equals(name)) {
            return new Refused(403, "CONNECT_TOKEN_OTHER_TARGET");
        }
        Optional<TcpTargetConfig> configured = TcpTargets.named(config, name);
        if (configured.isEmpty()) {
            return new Refused(404, "CONNECT_NOT_FOUND");
        }
        TcpTargetConfig target = configured.get();
        ResolvedSession resolved = sessions.resolver().resolveNow(grant.session(), sessions.sessions(config));
        if (!resolved.signedIn()) {
            return new Refused(401, "CONNECT_SESSION_ENDED");
        }
        AuthState.SignedIn state = (AuthState.SignedIn) resolved.authState();
        if (!hasTwoFactors(state, target)) {
            return new Refused(403, "CONNECT_TWO_FACTORS_REQUIRED");
        }
        if (!target.allows(state.identity().user(), state.identity().groups())) {
            return new Refused(403, "CONNECT_TARGET_NOT_ALLOWED");
        }
        // Resolved here, on a storage thread: the event loop never waits for a name server.
        InetSocketAddress address = new InetSocketAddress(target.address().host(), target.address().port());
        if (address.isUnresolved()) {
            return new Refused(502, "CONNECT_TARGET_UNRESOLVED");
        }
        String targetText = target.address().host() + ":" + target.address().port();
        LiveStreams.Entry entry = new LiveStreams.Entry(grant.session().hash(), resolved.user().username(),
                targetText, target.name(), clock.instant(), resolved.session().factors(),
                request.clientAddress().getHostAddress(), StreamKind.TCP);
        LiveStreams.Opening opening = new LiveStreams.Opening(grant.session(), entry,
                resolved.session().absoluteExpiry(), target.maxDuration(), target.idleTimeout(),
                now -> stillAllowed(name, targetText, now));
        return new Admitted(target, address, opening);
    }

    /**
     * Whether the config served now still lets {@code state} reach the target called {@code name} at the same
     * address: asked for every open stream after a reload.
     */
    private boolean stillAllowed(String name, String targetText, AuthState state) {
        Optional<TcpTargetConfig> target = TcpTargets.named(snapshots.get().config(), name);
        if (target.isEmpty() || !(state instanceof AuthState.SignedIn signedIn)) {
            return false;
        }
        TcpTargetConfig now = target.get();
        return (now.address().host() + ":" + now.address().port()).equals(targetText) && hasTwoFactors(signedIn, now)
                && now.allows(signedIn.identity().user(), signedIn.identity().groups());
    }

    /** A first factor and a second factor of a kind the target accepts (all kinds when it names none). */
    public static boolean hasTwoFactors(AuthState.SignedIn state, TcpTargetConfig target) {
        Set<SecondFactor> accepted = target.factors().isEmpty() ? Set.of(SecondFactor.values()) : target.factors();
        return state.latestSecondFactor(accepted).isPresent();
    }

    /** Connects to the admitted target on {@code loop} (the client connection's), reading nothing until attached. */
    public ChannelFuture connect(EventLoop loop, Admitted admitted, TargetRelay relay) {
        return new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(relay)
                .connect(admitted.address());
    }

    /** Registers an opened stream, so it ends with its session; it leaves the registry when the client side closes. */
    public LiveStreams.Stream register(Admitted admitted, Channel client, Channel target) {
        return watch.watch(admitted.opening(), client, target);
    }

    /** The one bearer token of {@code headers}: exactly one Authorization header, scheme "Bearer". */
    private static Optional<String> bearer(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.AUTHORIZATION);
        if (values.size() != 1 || !values.get(0).startsWith(BEARER)) {
            return Optional.empty();
        }
        String token = values.get(0).substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static CompletableFuture<Verdict> done(int status, String code) {
        return CompletableFuture.completedFuture(new Refused(status, code));
    }
}
