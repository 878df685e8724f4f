package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.server.ConfigReloader.Outcome;

/**
 * Issue "Access policy engine" §3: 50 reloads, valid and invalid alternating, while keep-alive clients keep sending
 * requests. Zero requests may fail or be answered under a stale or refused config, and after each valid reload the
 * new rules are in force at once.
 *
 * <p>How a response tells which config answered it: generation {@code k} bypasses {@code /gen/0} … {@code /gen/k}
 * and nothing else on {@code app.test}. A client reads the newest published generation {@code g} and asks for
 * {@code /gen/g}: any config of generation {@code g} or newer answers 200, a stale one (older than {@code g}) 403.
 * {@code /never} is allowed by no valid generation but by every invalid config, so a refused config that leaked
 * into service shows up as a 200 there. The {@code switch.test} route alternates between two upstreams with the
 * generation, so a fresh request after each reload shows that routes changed too. Reloads are triggered with
 * {@code reload()} directly, so the test does not depend on the file watcher's timing.
 */
class HotReloadUnderLoadTest {
    static final int RELOADS = 50;
    static final int LOAD_THREADS = 4;
    /** Requests the load must complete after each reload before the next one, so every reload overlaps traffic. */
    static final int REQUESTS_BETWEEN_RELOADS = 24;
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    EchoUpstream load;
    EchoUpstream switchA;
    EchoUpstream switchB;
    GatewayHarness gateway;

    final AtomicInteger published = new AtomicInteger();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicLong genRequests = new AtomicLong();
    final AtomicLong neverRequests = new AtomicLong();
    final Semaphore progress = new Semaphore(0);
    volatile boolean running = true;

    @AfterEach
    void stop() {
        running = false;
        if (gateway != null) {
            gateway.close();
        }
        for (EchoUpstream upstream : new EchoUpstream[] {load, switchA, switchB}) {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void fiftyReloadsUnderLoadLoseNoRequestAndApplyEveryValidConfigAtOnce() throws Exception {
        load = EchoUpstream.start();
        switchA = EchoUpstream.start();
        switchB = EchoUpstream.start();
        gateway = GatewayHarness.start(dir, validConfig(0), load.port());
        assertThat(fresh("app.test", "/gen/0").status()).isEqualTo(200);

        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < LOAD_THREADS; i++) {
            int id = i;
            Thread client = new Thread(() -> runClient(id), "reload-load-" + i);
            client.start();
            clients.add(client);
        }
        long started = System.nanoTime();
        int applied = 0;
        int refused = 0;
        for (int reload = 0; reload < RELOADS; reload++) {
            if (reload % 2 == 0) {
                int generation = reload / 2 + 1;
                gateway.rewriteConfig(validConfig(generation), load.port());
                assertThat(gateway.reloader().reload()).as("reload %d (generation %d)", reload, generation)
                        .isEqualTo(Outcome.APPLIED);
                published.set(generation);
                applied++;
                assertNewRulesInForce(generation);
            } else {
                gateway.rewriteConfig(invalidConfig(reload), load.port());
                assertThat(gateway.reloader().reload()).as("reload %d (invalid)", reload).isEqualTo(Outcome.REFUSED);
                refused++;
                assertOldRulesStillInForce(published.get(), reload);
            }
            progress.drainPermits();
            assertThat(progress.tryAcquire(REQUESTS_BETWEEN_RELOADS, WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("load keeps completing requests after reload %d; failures so far: %s", reload, failures)
                    .isTrue();
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        running = false;
        for (Thread client : clients) {
            client.join(WAIT.toMillis());
            assertThat(client.isAlive()).as(client.getName() + " stopped").isFalse();
        }

        assertThat(failures).as("failed or misrouted requests").isEmpty();
        assertThat(applied).isEqualTo(RELOADS / 2);
        assertThat(refused).isEqualTo(RELOADS / 2);
        long total = genRequests.get() + neverRequests.get();
        assertThat(total).isGreaterThanOrEqualTo((long) RELOADS * REQUESTS_BETWEEN_RELOADS);
        System.out.printf("HotReloadUnderLoadTest: %d reloads (%d applied, %d refused) in %d ms under %d keep-alive "
                        + "clients: %d requests (%d generation probes, %d refused probes), 0 failed%n",
                RELOADS, applied, refused, elapsedMillis, LOAD_THREADS, total, genRequests.get(), neverRequests.get());
    }

    /** A fresh connection right after a valid reload sees the new generation's rules and route. */
    private void assertNewRulesInForce(int generation) throws IOException {
        assertThat(fresh("app.test", "/gen/" + generation).status()).as("new rule of generation %d", generation)
                .isEqualTo(200);
        assertThat(fresh("app.test", "/gen/" + (generation + 1)).status()).isEqualTo(403);
        assertSwitchGoesTo(generation, "/which/" + generation);
    }

    /** After a refused reload the previous generation serves on, and nothing of the refused file applies. */
    private void assertOldRulesStillInForce(int generation, int reload) throws IOException {
        assertThat(fresh("app.test", "/gen/" + generation).status()).isEqualTo(200);
        assertThat(fresh("app.test", "/never").status()).as("invalid config %d not applied", reload).isEqualTo(403);
        assertSwitchGoesTo(generation, "/which/refused-" + reload);
    }

    private void assertSwitchGoesTo(int generation, String path) throws IOException {
        RawResponse response = fresh("switch.test", path);
        assertThat(response.status()).isEqualTo(200);
        EchoUpstream expected = generation % 2 == 0 ? switchA : switchB;
        EchoUpstream other = generation % 2 == 0 ? switchB : switchA;
        RecordedRequest received = expected.takeRequest(WAIT);
        assertThat(received).as("switch route of generation %d", generation).isNotNull();
        assertThat(received.path()).isEqualTo(path);
        assertThat(other.takeRequest(Duration.ZERO)).isNull();
    }

    private RawResponse fresh(String host, String path) throws IOException {
        return GatewayUnderTest.get(gateway.port(), host, path);
    }

    /**
     * One keep-alive client: two generation probes, then one {@code /never}, round and round. Every response must be
     * the one expected whatever the reloads do, and must carry the upstream's echo of this very request.
     */
    private void runClient(int id) {
        RawHttpClient client = null;
        long n = 0;
        while (running) {
            n++;
            boolean probeGeneration = n % 3 != 0;
            int generation = published.get();
            String target = (probeGeneration ? "/gen/" + generation : "/never") + "?c=" + id + "-" + n;
            String what = "client " + id + " GET " + target + " (published generation " + generation + ")";
            try {
                if (client == null) {
                    client = RawHttpClient.connect(gateway.port());
                }
                client.send("GET " + target + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
                RawResponse response = client.readResponse(WAIT);
                if (probeGeneration) {
                    genRequests.incrementAndGet();
                    if (response.status() != 200) {
                        failures.add(what + ": " + response.statusLine());
                    } else if (!response.bodyText().contains("\"target\":\"" + target + "\"")) {
                        failures.add(what + ": answered with another request's echo: " + response.bodyText());
                    }
                } else {
                    neverRequests.incrementAndGet();
                    if (response.status() != 403) {
                        failures.add(what + ": " + response.statusLine() + " (a refused config was applied?)");
                    }
                }
                if ("close".equalsIgnoreCase(response.header("Connection"))) {
                    failures.add(what + ": the gateway closed a keep-alive connection");
                    client.close();
                    client = null;
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    failures.add(what + ": " + e);
                }
                closeQuietly(client);
                client = null;
            }
            progress.release();
        }
        closeQuietly(client);
    }

    private static void closeQuietly(RawHttpClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the test is over for this client
            }
        }
    }

    /** Generation {@code k}: bypass {@code /gen/0} … {@code /gen/k}; switch.test on upstream A for even k, else B. */
    private String validConfig(int generation) {
        StringJoiner paths = new StringJoiner(", ", "[", "]");
        for (int g = 0; g <= generation; g++) {
            paths.add("/gen/" + g);
        }
        return """
                server:
                  listeners:
                    - address: 127.0.0.1:@PORT@
                routes:
                  - name: app
                    host: app.test
                    upstream: http://@UPSTREAM@
                    upstream_timeout: 5s
                  - name: switch
                    host: switch.test
                    upstream: http://127.0.0.1:%d
                access_control:
                  default_policy: deny
                  rules:
                    - id: generation-%d
                      hosts: [app.test]
                      paths: %s
                      policy: bypass
                    - id: switch
                      hosts: [switch.test]
                      paths: [/which]
                      policy: bypass
                """.formatted(switchPort(generation), generation, paths);
    }

    private int switchPort(int generation) {
        return (generation % 2 == 0 ? switchA : switchB).port();
    }

    /**
     * Four kinds of broken config in turn. Each would, if it were applied, let everything through and move the
     * switch route to the other upstream, so a leak is seen on {@code /never} and on the switch route.
     */
    private String invalidConfig(int reload) {
        int wrongSwitch = switchPort(published.get() + 1);
        String permissive = """
                server:
                  listeners:
                    - address: 127.0.0.1:@PORT@
                routes:
                  - name: app
                    host: app.test
                    upstream: http://@UPSTREAM@
                  - name: switch
                    host: switch.test
                    upstream: http://127.0.0.1:%d
                """.formatted(wrongSwitch);
        return switch ((reload / 2) % 4) {
            // YAML syntax error: an unclosed flow sequence
            case 0 -> permissive + """
                    access_control:
                      default_policy: bypass
                      rules: [
                    """;
            // an unknown key (a typo of max_headers)
            case 1 -> permissive + """
                    limits:
                      max_hedaers: 10
                    access_control:
                      default_policy: bypass
                    """;
            // a value that is not a policy
            case 2 -> permissive + """
                    access_control:
                      default_policy: bypass
                      rules:
                        - hosts: [app.test]
                          policy: allow
                    """;
            // a rule naming a network that does not exist
            default -> permissive + """
                    access_control:
                      default_policy: bypass
                      rules:
                        - networks: [nowhere]
                          policy: bypass
                    """;
        };
    }
}
