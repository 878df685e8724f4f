package org.portcullis.ssh;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.SecondFactor;
import org.portcullis.config.TcpTargetConfig;
import org.portcullis.identity.User;
import org.portcullis.policy.AuthState;
import org.portcullis.policy.Identity;
import org.portcullis.session.Session;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.StreamCloseReason;
import org.portcullis.signin.StreamKind;

/**
 * One {@code direct-tcpip} channel (RFC 4254 §7.2) to a configured TCP target, relayed byte for byte to a Netty
 * connection the gateway opens itself. The client names a host and port; the gateway connects only to the address of
 * the {@code tcp_targets} entry that host and port (or that name) select (SECURITY-RULES 24), after checking:
 * <ol>
 *   <li>the connection completed both factors;</li>
 *   <li>the channel is a stdio forward ({@code -J}, {@code ProxyJump}, {@code -W}: OpenSSH sends the originator
 *       {@code 127.0.0.1:65535} for those) and not a {@code -L}/{@code -D} listener on the user's machine, which anyone
 *       there could use to ride on the user's sign-in. A hint a custom client can fake, so it is defence in depth, not
 *       the boundary: the boundary is the next two checks;</li>
 *   <li>the target exists, the user (with their present groups) may reach it, and the session's second factor is one
 *       the target accepts;</li>
 *   <li>the session is still live in the store (not revoked, expired or signed out elsewhere).</li>
 * </ol>
 * A refusal is one constant message for "not listed" and "not allowed" (no target enumeration), audited with the
 * precise reason. An accepted stream is registered in {@link LiveStreams} with the target's {@code max_duration} and
 * {@code idle_timeout} and a policy re-decision for reloads, so it is cut within a second when its session ends; a cut
 * for a session reason also disconnects the SSH connection, with the reason.
 *
 * <p>Flow control both ways: bytes from the client are acknowledged to it (the SSH window) only once the target's
 * socket took them; bytes from the target are read only while the previous write towards the client is done.
 */
final class TargetChannel extends AbstractServerChannel {
    static final String TYPE = "direct-tcpip";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The originator OpenSSH sends for a stdio forward (it has no socket to name); PuTTY-style clients send port 0. */
    private static final String STDIO_ORIGINATOR = "127.0.0.1";
    private static final Set<Integer> STDIO_ORIGINATOR_PORTS = Set.of(65535, 0);

    /** Makes a channel per {@code direct-tcpip} open request. */
    static ChannelFactory factory(SshSignInParts parts, SshAudit audit, EventLoopGroup targets) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return TYPE;
            }

            @Override
            public org.apache.sshd.common.channel.Channel createChannel(org.apache.sshd.common.session.Session s) {
                return new TargetChannel(parts, audit, targets);
            }
        };
    }

    private final SshSignInParts parts;
    private final SshAudit audit;
    private final EventLoopGroup targets;
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    private boolean writing;
    private volatile ChannelAsyncOutputStream out;
    private volatile Channel peer;
    private volatile LiveStreams.Stream stream;

    private TargetChannel(SshSignInParts parts, SshAudit audit, EventLoopGroup targets) {
        super("", List.of(), null);
        this.parts = parts;
        this.audit = audit;
        this.targets = targets;
    }

    /** What a check found: the target may be opened with this session and user, or a refusal. */
    private record Admission(Session session, User user, String refusal) {
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String host = buffer.getString();
        int port = (int) buffer.getUInt();
        String originHost = buffer.getString();
        int originPort = (int) buffer.getUInt();
        OpenFuture opened = new DefaultOpenFuture(this, this);
        SshLogin login = SshLogin.of(getSession());
        String asked = host + ":" + port;
        if (!login.signedIn()) {
            return refuse(opened, login, "not_signed_in", asked, SshMessages.SIGN_IN_EXPIRED);
        }
        if (!STDIO_ORIGINATOR.equals(originHost) || !STDIO_ORIGINATOR_PORTS.contains(originPort)) {
            return refuse(opened, login, "port_forwarding", asked, SshMessages.NO_LOCAL_FORWARDING);
        }
        GatewayConfig config = parts.config().get();
        TcpTargetConfig target = TcpTargetConfig.find(config.tcpTargets(), host, port);
        if (target == null) {
            return refuse(opened, login, "target_not_listed", asked, SshMessages.notReachable(asked));
        }
        parts.storage().submit(() -> admit(login, target, config)).whenComplete((admission, error) -> {
            if (error != null) {
                refuse(opened, login, "error", asked, SshMessages.ERROR);
            } else if (admission.refusal() != null) {
                boolean ended = admission.refusal().equals("session_ended");
                refuse(opened, login, admission.refusal(), asked,
                        ended ? SshMessages.SIGN_IN_EXPIRED : SshMessages.notReachable(asked));
                if (ended) {
                    login.farewell(SshMessages.SIGN_IN_EXPIRED);
                    SshJumpHost.closeWithFarewell(getSession(), login);
                }
            } else {
                connect(opened, login, target, admission);
            }
        });
        return opened;
    }

    /** On a storage thread: the session still live, the user still there, the target still theirs. */
    private Admission admit(SshLogin login, TcpTargetConfig target, GatewayConfig config) {
        Optional<Session> live = parts.sessions().forConfig(config).live(login.session().hash());
        if (live.isEmpty()) {
            return new Admission(null, null, "session_ended");
        }
        Optional<User> user = parts.directory().find(login.user()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            return new Admission(null, null, "session_ended");
        }
        AuthState state = new AuthState.SignedIn(new Identity(user.get().username(), Set.copyOf(user.get().groups())),
                live.get().factors());
        if (!allowed(target, state)) {
            return new Admission(null, null, "target_not_allowed");
        }
        return new Admission(live.get(), user.get(), null);
    }

    /** Whether {@code state} may reach {@code target}: a listed user or group, and a second factor it accepts. */
    static boolean allowed(TcpTargetConfig target, AuthState state) {
        if (!(state instanceof AuthState.SignedIn signedIn)) {
            return false;
        }
        Set<SecondFactor> accepted = target.factors().isEmpty() ? EnumSet.allOf(SecondFactor.class)
                : EnumSet.copyOf(target.factors());
        return target.allows(signedIn.identity().user(), signedIn.identity().groups())
                && signedIn.latestSecondFactor(accepted).isPresent();
    }

    private void connect(OpenFuture opened, SshLogin login, TcpTargetConfig target, Admission admission) {
        Bootstrap bootstrap = new Bootstrap()
                .group(targets)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new FromTarget());
        bootstrap.connect(target.address().host(), target.address().port()).addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                audit.refused("target_unreachable", login, target.name());
                failOpen(opened, SshConstants.SSH_OPEN_CONNECT_FAILED, SshMessages.unreachable(target.name()));
                return;
            }
            Channel connected = done.channel();
            if (isClosing() || !getSession().isOpen()) {
                connected.close();
                return;
            }
            peer = connected;
            out = new EofOnCloseOutput();
            stream = parts.tunnels().watch(opening(login, target, admission), connected, connected);
            login.opened(stream);
            try {
                signalChannelOpenSuccess();
                opened.setOpened();
            } catch (RuntimeException e) {
                connected.close();
                opened.setException(e);
                return;
            }
            // Only now, after the confirmation went out, may bytes from the target follow.
            connected.config().setAutoRead(true);
        });
    }

    private LiveStreams.Opening opening(SshLogin login, TcpTargetConfig target, Admission admission) {
        Instant now = parts.clock().instant();
        LiveStreams.Entry entry = new LiveStreams.Entry(login.session().hash(), admission.user().username(),
                target.address().toString(), target.name(), now, admission.session().factors(), login.sourceIp(),
                StreamKind.SSH);
        String name = target.name();
        var address = target.address();
        return new LiveStreams.Opening(login.session(), entry, admission.session().absoluteExpiry(),
                target.maxDuration(), target.idleTimeout(), state -> {
                    // After a reload: the same target (name and address) must still exist and still be theirs.
                    TcpTargetConfig now2 = parts.config().get().tcpTargets().stream()
                            .filter(t -> t.name().equals(name) && t.address().equals(address)).findFirst()
                            .orElse(null);
                    return now2 != null && allowed(now2, state);
                });
    }

    private OpenFuture refuse(OpenFuture opened, SshLogin login, String reason, String asked, String message) {
        audit.refused(reason, login, asked);
        failOpen(opened, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, message);
        return opened;
    }

    private void failOpen(OpenFuture opened, int code, String message) {
        SshLogin.of(getSession()).refusal(getChannelId(), message);
        try {
            opened.setException(new SshChannelOpenException(getChannelId(), code, message));
        } finally {
            close(true);
        }
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        if (out != null) {
            out.onWindowExpanded();
        }
    }

    @Override
    protected boolean mayWrite() {
        // Writing must go on while closing, so the last bytes from the target are flushed before the EOF.
        return !isClosed();
    }

    /** Bytes from the client: to the target, and acknowledged (window) once the target's socket took them. */
    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        Channel target = peer;
        LiveStreams.Stream counted = stream;
        if (target == null || counted == null) {
            throw new IOException("TargetChannel: data before the target was connected");
        }
        counted.fromClient(len);
        // MINA reuses data once this returns, so it is copied: into a pooled direct buffer, which the socket writes
        // as it is (a heap copy would be copied again into a direct buffer on write, and left as garbage).
        ByteBuf copy = target.alloc().directBuffer((int) len).writeBytes(data, off, (int) len);
        target.writeAndFlush(copy).addListener(written -> {
            if (!written.isSuccess()) {
                close(false);
                return;
            }
            try {
                if (getLocalWindow().isOpen()) {
                    getLocalWindow().release(len);
                }
            } catch (IOException | RuntimeException e) {
                getSession().exceptionCaught(e);
            }
        });
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("TargetChannel: direct-tcpip carries no extended data");
    }

    /** The client sent EOF: half-close the target connection, which may still answer. */
    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        if (peer instanceof SocketChannel socket && socket.isActive()) {
            socket.shutdownOutput();
        }
    }

    @Override
    protected Closeable getInnerCloseable() {
        var closing = builder();
        if (out != null) {
            closing.close(out);
        }
        return closing.run("target", this::closeTarget).close(super.getInnerCloseable()).build();
    }

    /** The SSH side closed (or the whole connection did): the client ended the stream unless something cut it. */
    private void closeTarget() {
        LiveStreams.Stream counted = stream;
        if (counted != null) {
            counted.endedBy(StreamCloseReason.CLOSED_BY_CLIENT);
        }
        Channel target = peer;
        if (target != null) {
            target.close();
        }
    }

    /** Bytes from the target, in order, one write towards the client at a time. */
    private void toClient(byte[] bytes) {
        synchronized (waiting) {
            if (writing) {
                waiting.add(bytes);
                return;
            }
            writing = true;
        }
        write(bytes);
    }

    private void write(byte[] bytes) {
        Channel target = peer;
        target.config().setAutoRead(false);
        IoWriteFuture written;
        try {
            written = out.writeBuffer(new ByteArrayBuffer(bytes));
        } catch (IOException | RuntimeException e) {
            target.close();
            return;
        }
        written.addListener(done -> {
            if (!done.isWritten()) {
                target.close();
                return;
            }
            byte[] next;
            synchronized (waiting) {
                next = waiting.poll();
                if (next == null) {
                    writing = false;
                }
            }
            if (next != null) {
                write(next);
            } else {
                target.config().setAutoRead(true);
            }
        });
    }

    /** The target side of the relay (on a Netty event loop). */
    private final class FromTarget extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                LiveStreams.Stream counted = stream;
                if (counted != null) {
                    counted.toClient(bytes.length);
                }
                toClient(bytes);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            LiveStreams.Stream counted = stream;
            if (counted == null) {
                return;
            }
            // Nobody cut it and the client did not close first: the target did.
            counted.endedBy(StreamCloseReason.CLOSED_BY_TARGET);
            StreamCloseReason reason = counted.closeReason();
            if (endsSession(reason)) {
                SshLogin login = SshLogin.of(getSession());
                login.farewell(SshMessages.sessionEnded(reason.code()));
                SshJumpHost.closeWithFarewell(getSession(), login);
            } else {
                close(false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Reasons that end the session itself, not only this stream: the SSH connection goes too. */
    static boolean endsSession(StreamCloseReason reason) {
        switch (reason) {
            case SIGN_OUT:
            case REVOKED:
            case EXPIRED_IDLE:
            case EXPIRED_ABSOLUTE:
            case USER_REMOVED:
            case USER_DISABLED:
            case MFA_RESET:
            case SHUTDOWN:
                return true;
            default:
                return false;
        }
    }

    /** The output towards the client; closing it gracefully flushes it, then sends EOF (as MINA's own relay does). */
    private final class EofOnCloseOutput extends ChannelAsyncOutputStream {
        EofOnCloseOutput() {
            super(TargetChannel.this, SshConstants.SSH_MSG_CHANNEL_DATA);
        }

        @Override
        protected CloseFuture doCloseGracefully() {
            DefaultCloseFuture result = new DefaultCloseFuture(getChannelId(), futureLock);
            CloseFuture flushed = super.doCloseGracefully();
            flushed.addListener(f -> {
                try {
                    IoWriteFuture eof = sendEof();
                    if (eof != null) {
                        eof.addListener(sent -> result.setClosed());
                        return;
                    }
                } catch (Exception e) {
                    getSession().exceptionCaught(e);
                }
                result.setClosed();
            });
            return result;
        }
    }
}
