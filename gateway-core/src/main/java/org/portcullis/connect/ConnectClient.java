package org.portcullis.connect;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code portcullis connect}'s work: a listener on a loopback address; each connection accepted there gets its own
 * WebSocket to the gateway's tunnel endpoint for the target ({@link WebSocketTunnel}) and two relays, one thread each
 * way (a command on a user's computer carries a few connections, not thousands). A refused token (401) starts the
 * sign-in again and the connection waits for it; any other refusal is printed and the local connection closed. When
 * the gateway ends a stream without a close frame (the session ended, or a limit), the local connection closes; the
 * next one finds out whether the session is still good.
 */
public final class ConnectClient implements Closeable {
    static final int CHUNK = 16 * 1024;
    private final GatewayEndpoint gateway;
    private final String target;
    private final InetSocketAddress listen;
    private final PrintWriter log;
    private final Tokens tokens;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private volatile boolean closed;

    /**
     * @param listen  a loopback address and port (0: the system picks) to listen on
     * @param browser where the sign-in URL goes
     * @param wait    how long one sign-in may take
     */
    public ConnectClient(GatewayEndpoint gateway, String target, InetSocketAddress listen, Browser browser,
                         PrintWriter log, Duration wait) {
        this(gateway, target, listen, log, new LoopbackSignIn(gateway, browser, wait));
    }

    private ConnectClient(GatewayEndpoint gateway, String target, InetSocketAddress listen, PrintWriter log,
                          SignIn signIn) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.target = Objects.requireNonNull(target, "target");
        this.listen = Objects.requireNonNull(listen, "listen");
        this.log = Objects.requireNonNull(log, "log");
        this.tokens = new Tokens(signIn, target, log);
    }

    /**
     * A client that signs in with a device code ({@code --device}, {@link DeviceSignIn}): the user types a short code
     * into the portal on another device. {@code wait} bounds one sign-in (the code itself lives 5 minutes).
     */
    public static ConnectClient withDeviceCode(GatewayEndpoint gateway, String target, InetSocketAddress listen,
                                               PrintWriter log, Duration wait) {
        return new ConnectClient(gateway, target, listen, log, new DeviceSignIn(gateway, log, wait));
    }

    /** Binds the listener and starts accepting; returns the address it listens on. */
    public InetSocketAddress start() throws IOException {
        server = new ServerSocket();
        server.bind(listen, 50);
        Thread acceptor = new Thread(this::acceptAll, "portcullis-connect-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Signs in now (rather than at the first connection). */
    public void signIn() throws IOException, LoopbackSignIn.SignInFailed {
        tokens.current();
    }

    private void acceptAll() {
        while (!closed) {
            Socket local;
            try {
                local = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.println("portcullis connect: the local listener failed: " + e.getMessage());
                }
                return;
            }
            open.add(local);
            Thread worker = new Thread(() -> serve(local), "portcullis-connect-" + local.getPort());
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void serve(Socket local) {
        try (local) {
            local.setTcpNoDelay(true);
            WebSocketTunnel tunnel = openTunnel();
            if (tunnel != null) {
                try (tunnel) {
                    relay(local, tunnel);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.println("portcullis connect: " + e.getMessage());
            }
        } finally {
            open.remove(local);
        }
    }

    /** The tunnel for one connection, signing in again once if the gateway refuses the token; null if refused. */
    private WebSocketTunnel openTunnel() throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            String token;
            try {
                token = tokens.current();
            } catch (LoopbackSignIn.SignInFailed e) {
                log.println("portcullis connect: sign-in failed: " + e.getMessage());
                return null;
            }
            WebSocketTunnel.Opening opening = WebSocketTunnel.open(gateway, LoopbackSignIn.tunnelPath(target), token);
            if (opening instanceof WebSocketTunnel.Opened opened) {
                return opened.tunnel();
            }
            WebSocketTunnel.Refused refused = (WebSocketTunnel.Refused) opening;
            if (refused.status() != 401) {
                log.println("portcullis connect: the gateway refused the connection to " + target + " (status "
                        + refused.status() + (refused.error().isEmpty() ? "" : ", " + refused.error()) + ")");
                return null;
            }
            tokens.refused(token);
            log.println("portcullis connect: your session at the gateway ended (" + refused.error()
                    + "); sign in again.");
        }
        return null;
    }

    private void relay(Socket local, WebSocketTunnel tunnel) throws IOException {
        OutputStream toLocal = local.getOutputStream();
        CountDownLatch gatewayDone = new CountDownLatch(1);
        boolean[] cleanClose = new boolean[1];
        Thread down = new Thread(() -> {
            try {
                while (true) {
                    WebSocketTunnel.Frame frame = tunnel.read();
                    if (frame.opcode() == WebSocketTunnel.BINARY || frame.opcode() == WebSocketTunnel.CONTINUATION) {
                        toLocal.write(frame.payload());
                        toLocal.flush();
                    } else if (frame.opcode() == WebSocketTunnel.PING) {
                        tunnel.sendPong(frame.payload());
                    } else if (frame.opcode() == WebSocketTunnel.CLOSE) {
                        cleanClose[0] = true;
                        return;
                    } else if (frame.opcode() != WebSocketTunnel.PONG) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the gateway ended the stream without a close frame: a cut (session ended, a limit) or a failure
            } finally {
                gatewayDone.countDown();
                closeQuietly(local);
            }
        }, "portcullis-connect-down-" + local.getPort());
        down.setDaemon(true);
        down.start();
        InputStream fromLocal = local.getInputStream();
        byte[] buffer = new byte[CHUNK];
        try {
            int n;
            while ((n = fromLocal.read(buffer)) > 0) {
                tunnel.sendBinary(buffer, 0, n);
            }
        } catch (IOException e) {
            // the local side went away (or the gateway did: then the close below fails too, harmlessly)
        }
        try {
            // However the local side ended, the gateway is told at once, so the stream ends there now.
            tunnel.sendClose();
        } catch (IOException e) {
            // the gateway already ended the stream
        }
        try {
            if (!gatewayDone.await(5, TimeUnit.SECONDS)) {
                tunnel.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (gatewayDone.getCount() == 0 && !cleanClose[0] && !closed) {
            log.println("portcullis connect: the gateway ended a connection to " + target
                    + " (the session may have ended, or a time limit passed).");
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Stops listening and ends every open connection. */
    @Override
    public void close() {
        closed = true;
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // already closed
            }
        }
        open.forEach(ConnectClient::closeQuietly);
    }
}
