package org.portcullis.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.portcullis.config.AdminConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener ({@code server.admin}): {@code GET /metrics} (Prometheus text), {@code GET /health/live} (the
 * process answers) and {@code GET /health/ready} ({@link Readiness}). Everything else is 404, other methods 405.
 *
 * <p>It runs apart from the gateway's event loops, on the JDK's small HTTP server with one thread of its own, so a
 * slow scrape or a hung health check never delays a proxied request, and a flood of proxied requests never hides the
 * gateway's state from its operator. It answers without authentication, which is why the config validator keeps it
 * off every public listener's address and port, and why nothing it serves names a user, a client address or a secret.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService thread;

    private AdminServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /** Binds {@code config.address()} and starts answering; fails when the address cannot be bound. */
    public static AdminServer start(AdminConfig config, GatewayMetrics metrics, Readiness readiness)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(config.address().host(),
                config.address().port()), 64);
        server.createContext("/", exchange -> answer(exchange, 404, JSON, "{\"error\":\"not found\"}"));
        server.createContext("/metrics", exchange -> {
            if (exactGet(exchange, "/metrics")) {
                answer(exchange, 200, GatewayMetrics.contentType(), metrics.scrape());
            }
        });
        server.createContext("/health/live", exchange -> {
            if (exactGet(exchange, "/health/live")) {
                answer(exchange, 200, JSON, "{\"status\":\"live\"}");
            }
        });
        server.createContext("/health/ready", exchange -> {
            if (exactGet(exchange, "/health/ready")) {
                Readiness.Answer answer = readiness.check();
                answer(exchange, answer.status(), JSON, answer.json());
            }
        });
        ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "portcullis-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.start();
        if (!config.address().isLoopback()) {
            LOG.warn("admin listener on non-loopback address {}: metrics and health are readable from that network",
                    server.getAddress());
        }
        return new AdminServer(server, thread);
    }

    /** Where it listens (the port resolved when the config said 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Answers 404/405 itself and returns false unless the request is a GET (or HEAD) of exactly {@code path}. */
    private static boolean exactGet(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestURI().getRawPath().equals(path)) {
            answer(exchange, 404, JSON, "{\"error\":\"not found\"}");
            return false;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            answer(exchange, 405, JSON, "{\"error\":\"method not allowed\"}");
            return false;
        }
        return true;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
