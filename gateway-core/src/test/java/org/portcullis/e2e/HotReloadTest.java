package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.server.ConfigReloader;
import org.portcullis.server.ConfigReloader.Outcome;
import org.slf4j.LoggerFactory;

/**
 * Issue "Access policy engine" §3, the triggers and edges of hot reload: the file watcher (config file and a file it
 * references), SIGHUP, a listener change that needs a restart, and a request in flight across a reload. What the
 * reloader did is read from its log (captured here), so no test waits longer than the reload takes.
 */
class HotReloadTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    /** Bypasses {@code /@OPEN@} on app.test; everything else is denied. */
    static final String TEMPLATE = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: app
                host: app.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 2s
            access_control:
              default_policy: deny
              rules:
                - id: open
                  hosts: [app.test]
                  paths: [/@OPEN@]
                  policy: bypass
            """;

    static String opening(String path) {
        return TEMPLATE.replace("@OPEN@", path);
    }

    @TempDir
    Path dir;

    EchoUpstream upstream;
    GatewayHarness gateway;
    final ReloaderLog log = new ReloaderLog();

    @BeforeEach
    void start() throws Exception {
        log.attach();
        upstream = EchoUpstream.start();
        gateway = GatewayHarness.start(dir, opening("one"), upstream.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
        log.detach();
    }

    @Test
    void fileWatcherAppliesAValidChangeRefusesABrokenOneAndKeepsWatching() throws Exception {
        gateway.reloader().start();

        gateway.rewriteConfig(opening("two"), upstream.port());
        assertThat(log.await("config reloaded")).as("watcher reloaded the changed file").isNotNull();
        assertThat(get("/two").status()).isEqualTo(200);
        assertThat(get("/one").status()).isEqualTo(403);

        gateway.rewriteConfig(opening("three").replace("policy: bypass", "policy: allow"), upstream.port());
        ILoggingEvent refused = log.await("config reload refused: ");
        assertThat(refused).as("watcher refused the broken file").isNotNull();
        assertThat(refused.getFormattedMessage()).as("each error in the documented FILE:LINE: path: message format")
                .endsWith("portcullis.yaml:15: access_control.rules[0].policy: 'allow' is not a policy "
                        + "(allowed: bypass, one_factor, two_factor, deny)");
        assertThat(log.await("still serving the previous config")).isNotNull();
        assertThat(get("/two").status()).as("the old config keeps serving").isEqualTo(200);
        assertThat(get("/three").status()).isEqualTo(403);

        gateway.rewriteConfig(opening("four"), upstream.port());
        assertThat(log.await("config reloaded")).as("watcher still watching after a refused file").isNotNull();
        assertThat(get("/four").status()).isEqualTo(200);
        assertThat(get("/two").status()).isEqualTo(403);
    }

    @Test
    void changeOfAReferencedFileReloadsToo() throws Exception {
        Path office = dir.resolve("office-network.txt");
        Files.writeString(office, "127.0.0.0/8\n", StandardCharsets.UTF_8);
        String template = opening("office")
                + "      networks: [office]\n"
                + "networks:\n"
                + "  office: [\"${file:" + office.toAbsolutePath() + "}\"]\n";
        gateway.rewriteConfig(template, upstream.port());
        assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);
        assertThat(get("/office").status()).as("bypass from the office network, 127.0.0.0/8").isEqualTo(200);
        gateway.reloader().start();
        log.clear();

        Path tmp = dir.resolve("office-network.tmp");
        Files.writeString(tmp, "10.9.0.0/16\n", StandardCharsets.UTF_8);
        Files.move(tmp, office, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(log.await("config reloaded")).as("watcher reloaded after the referenced file changed").isNotNull();
        assertThat(get("/office").status()).as("127.0.0.1 is no longer in the office network").isEqualTo(403);
    }

    @Test
    void sighupReloads() throws Exception {
        // Written before start(): the watcher never sees this change, so only SIGHUP can apply it.
        gateway.rewriteConfig(opening("two"), upstream.port());
        gateway.reloader().start();
        // Without the gateway's handler, SIGHUP would end this JVM: send it only when the handler is in place.
        assumeTrue(gateway.reloader().reloadsOnSighup(), "SIGHUP handler not available on this platform");
        assertThat(get("/two").status()).isEqualTo(403);

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        assertThat(kill.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();

        assertThat(log.await("SIGHUP received")).isNotNull();
        assertThat(log.await("config reloaded")).isNotNull();
        assertThat(get("/two").status()).isEqualTo(200);
        assertThat(get("/one").status()).isEqualTo(403);
    }

    @Test
    void listenerChangeIsReportedAsNeedingARestartAndTheRestStillApplies() throws Exception {
        int otherPort = GatewayHarness.freePort();
        gateway.rewriteConfig(opening("two").replace("127.0.0.1:@PORT@", "127.0.0.1:" + otherPort),
                upstream.port());

        assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED_LISTENERS_NEED_RESTART);
        assertThat(log.await("restart Portcullis to apply the new listeners")).isNotNull();

        assertThat(get("/two").status()).as("old listener, new rules").isEqualTo(200);
        assertThat(get("/one").status()).isEqualTo(403);
        assertThatThrownBy(() -> RawHttpClient.connect(otherPort)).as("new listener not half-applied")
                .isInstanceOf(ConnectException.class);
        assertThat(gateway.server().runtime().snapshot().listeners().get(0).address().port())
                .isEqualTo(gateway.port());
    }

    @Test
    void storageChangeIsReportedAsNeedingARestartAndTheRestStillApplies() throws Exception {
        Path dataDir = dir.resolve("state");
        gateway.rewriteConfig(opening("two") + """
                storage:
                  data_dir: %s
                  encryption_key: '%s'
                """.formatted(dataDir, "00".repeat(32)), upstream.port());

        assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);
        assertThat(log.await("storage (data_dir or encryption_key) changed: restart Portcullis to apply it"))
                .isNotNull();

        assertThat(get("/two").status()).as("the rest of the config applied").isEqualTo(200);
        assertThat(gateway.server().runtime().storage()).as("no store opened by a reload").isEmpty();
        assertThat(gateway.server().runtime().snapshot().config().storage()).isNull();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void refusedReloadIsReportedAndChangesNothing() throws Exception {
        gateway.rewriteConfig(opening("two").replace("default_policy: deny", "default_policy: bypass\n  rules: ["),
                upstream.port());

        assertThat(gateway.reloader().reload()).isEqualTo(Outcome.REFUSED);
        assertThat(log.await("(yaml): syntax error")).isNotNull();
        assertThat(get("/one").status()).isEqualTo(200);
        assertThat(get("/two").status()).isEqualTo(403);
    }

    @Test
    void requestInFlightFinishesUnderItsConfigAndTheNextOneUsesTheNew() throws Exception {
        gateway.rewriteConfig(opening("upload"), upstream.port());
        assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);

        try (RawHttpClient inFlight = RawHttpClient.connect(gateway.port())) {
            inFlight.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            // 100 Continue comes once the request was admitted and its head forwarded: it is in flight.
            assertThat(inFlight.readResponse(WAIT).status()).isEqualTo(100);

            gateway.rewriteConfig(opening("elsewhere"), upstream.port());
            assertThat(gateway.reloader().reload()).isEqualTo(Outcome.APPLIED);
            RawResponse newRequest = RawHttpClient.exchange(gateway.port(),
                    "POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nnope!");
            assertThat(newRequest.status()).as("a new request uses the new config").isEqualTo(403);

            inFlight.send("hello");
            RawResponse finished = inFlight.readResponse(WAIT);
            assertThat(finished.status()).as("the request in flight finishes under its config").isEqualTo(200);
            RecordedRequest received = upstream.takeRequest(WAIT);
            assertThat(received.requestLine()).isEqualTo("POST /upload HTTP/1.1");
            assertThat(received.bodyText()).isEqualTo("hello");

            inFlight.send("GET /upload HTTP/1.1\r\nHost: app.test\r\n\r\n");
            assertThat(inFlight.readResponse(WAIT).status())
                    .as("the next request on the same connection uses the new config").isEqualTo(403);
        }
        assertThat(upstream.takeRequest(Duration.ofMillis(300))).isNull();
    }

    private RawResponse get(String path) throws IOException {
        return GatewayUnderTest.get(gateway.port(), "app.test", path);
    }

    /** Captures the reloader's log lines, so a test can wait for exactly the reload it caused. */
    static final class ReloaderLog extends AppenderBase<ILoggingEvent> {
        private final BlockingQueue<ILoggingEvent> events = new LinkedBlockingQueue<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);

        void attach() {
            start();
            logger.addAppender(this);
        }

        void detach() {
            logger.detachAppender(this);
            stop();
        }

        /** Forgets the lines logged so far. */
        void clear() {
            events.clear();
        }

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }

        /** The next line containing {@code text} (earlier lines are skipped), or null after {@link #WAIT}. */
        ILoggingEvent await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                ILoggingEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null || event.getFormattedMessage().contains(text)) {
                    return event;
                }
            }
        }
    }
}
