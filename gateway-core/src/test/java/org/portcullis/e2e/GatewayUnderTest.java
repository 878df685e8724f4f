package org.portcullis.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * One echo upstream and the real gateway in front of it, started from a YAML template (see {@link GatewayHarness}
 * for the placeholders): the setup nearly every e2e class needs. Before each test the upstream's recorded requests
 * are drained, so a test sees only its own and "nothing reached the upstream" means nothing of <em>this</em> test.
 *
 * <p>As a {@code static} {@code @RegisterExtension} field one gateway serves the whole class (started before the
 * first test, closed after the last); as an instance field each test gets a fresh one (for tests that count
 * connections or need a gateway in its initial state).
 */
final class GatewayUnderTest implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final String yamlTemplate;
    private Path dir;
    private EchoUpstream upstream;
    private GatewayHarness gateway;
    private boolean classWide;

    private GatewayUnderTest(String yamlTemplate) {
        this.yamlTemplate = yamlTemplate;
    }

    static GatewayUnderTest withConfig(String yamlTemplate) {
        return new GatewayUnderTest(yamlTemplate);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        classWide = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (classWide) {
            drainUpstream();
        } else {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!classWide) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void start() throws Exception {
        dir = Files.createTempDirectory("portcullis-e2e");
        upstream = EchoUpstream.start();
        gateway = GatewayHarness.start(dir, yamlTemplate, upstream.port());
    }

    /** Forgets every request the upstream recorded so far: what earlier tests left unread must not count. */
    void drainUpstream() {
        drain(upstream);
    }

    /** Empties the recorded-request queues of {@code upstreams}; for classes that run their own upstreams. */
    static void drain(EchoUpstream... upstreams) {
        for (EchoUpstream each : upstreams) {
            while (each.takeRequest(Duration.ZERO) != null) {
                // dropped
            }
        }
    }

    /** {@code GET target} for {@code host} on a connection of its own. */
    RawResponse get(String host, String target) throws IOException {
        return get(port(), host, target);
    }

    /** {@code GET target} for {@code host} on a new connection to the gateway on {@code port}. */
    static RawResponse get(int port, String host, String target) throws IOException {
        return RawHttpClient.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    EchoUpstream upstream() {
        return upstream;
    }

    GatewayHarness harness() {
        return gateway;
    }

    int port() {
        return gateway.port();
    }

    /** A port nobody listens on, for routes to a dead upstream. */
    static int unusedPort() {
        try {
            return GatewayHarness.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void close() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        deleteRecursively(dir);
        gateway = null;
        upstream = null;
        dir = null;
    }

    private static void deleteRecursively(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
