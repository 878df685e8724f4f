package org.portcullis.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer for cluster tests, as nginx's {@code stream} module with {@code proxy_next_upstream on} would
 * be: each new client connection goes to the next node in turn (round robin), the bytes pass through untouched (TLS
 * ends at the node), and a node that refuses the connection is skipped for the next one. It does not look inside
 * the connection, so which node serves a request depends only on which connection carries it: a client that opens
 * one connection per request has its requests spread over every node in turn.
 *
 * <p>It remembers which node every connection went to, by the client's local port, so a test can tell apart a failed
 * request that was on a node it killed from one that was not.
 */
final class RoundRobinBalancer implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final ServerSocket listener;
    private final List<Integer> nodePorts;
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "balancer");
        thread.setDaemon(true);
        return thread;
    });
    /** Client port → node number (1-based) of every connection passed on so far. */
    private final Map<Integer, Integer> nodeByClientPort = new ConcurrentHashMap<>();
    /** Client address → node number of the latest connection from it. */
    private final Map<InetAddress, Integer> latestNodeByClientAddress = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> connectionsPerNode = new ConcurrentHashMap<>();
    private final List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());

    private RoundRobinBalancer(ServerSocket listener, List<Integer> nodePorts) {
        this.listener = listener;
        this.nodePorts = List.copyOf(nodePorts);
    }

    /** Listens on a free port of 127.0.0.1 in front of the nodes on {@code nodePorts} (node 1 first). */
    static RoundRobinBalancer start(List<Integer> nodePorts) throws IOException {
        ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        RoundRobinBalancer balancer = new RoundRobinBalancer(listener, nodePorts);
        balancer.threads.execute(balancer::acceptLoop);
        return balancer;
    }

    /** A free port of 127.0.0.1 (for the balancer's clients to know before it starts: the portal URL names it). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The node (1-based) the connection from the client's local port {@code clientPort} was passed to. */
    Optional<Integer> nodeOf(int clientPort) {
        return Optional.ofNullable(nodeByClientPort.get(clientPort));
    }

    /**
     * The node (1-based) the latest connection from {@code clientAddress} was passed to: for a client that keeps one
     * connection at a time on an address of its own and never learnt its port (its TLS handshake failed).
     */
    Optional<Integer> latestNodeFrom(InetAddress clientAddress) {
        return Optional.ofNullable(latestNodeByClientAddress.get(clientAddress));
    }

    /** How many connections node {@code node} (1-based) was given so far. */
    int connectionsTo(int node) {
        return connectionsPerNode.computeIfAbsent(node, n -> new AtomicInteger()).get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> passOn(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void passOn(Socket client) {
        open.add(client);
        int first = Math.floorMod(next.getAndIncrement(), nodePorts.size());
        for (int attempt = 0; attempt < nodePorts.size(); attempt++) {
            int index = (first + attempt) % nodePorts.size();
            Socket node = new Socket();
            try {
                node.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), nodePorts.get(index)),
                        CONNECT_TIMEOUT_MILLIS);
            } catch (IOException refused) {
                closeQuietly(node);
                continue; // a dead node: the next one, as proxy_next_upstream does
            }
            // Recorded before a byte flows, so a client that fails on this connection finds it here.
            nodeByClientPort.put(client.getPort(), index + 1);
            latestNodeByClientAddress.put(client.getInetAddress(), index + 1);
            connectionsPerNode.computeIfAbsent(index + 1, n -> new AtomicInteger()).incrementAndGet();
            open.add(node);
            threads.execute(() -> pump(node, client));
            pump(client, node);
            return;
        }
        closeQuietly(client); // no node answers
    }

    /** Copies {@code from} to {@code to} until either ends; then ends both, as a TCP proxy does. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (SocketException e) {
            // reset or closed by the other pump
        } catch (IOException e) {
            // ended
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (open) {
            for (Socket socket : open) {
                closeQuietly(socket);
            }
        }
        threads.shutdownNow();
    }
}
