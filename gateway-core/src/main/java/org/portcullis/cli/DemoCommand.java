package org.portcullis.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.portcullis.enrolment.InvitationCodes;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.portcullis.config.LoadedConfig;
import org.portcullis.demo.DemoUpstream;
import org.portcullis.server.ConfigReloader;
import org.portcullis.server.GatewayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis demo}: the gateway on localhost in front of a built-in legacy care-records app, with sign-in: the
 * records need a password ({@code one_factor}), the admin area a second factor, the health check nothing, and
 * everything else is denied. A demo account is made at every start and its password printed. The config is written to
 * {@code demo-data/portcullis-demo.yaml} so a newcomer can edit it and watch the gateway reload it. The data folder
 * belongs to one demo at a time ({@link DemoLock}); a second demo on it refuses before writing anything. The demo
 * writes an audit trail there and prints the three audit commands to try on it.
 */
@Command(name = "demo", description = "Run the gateway on localhost in front of a built-in demo app.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    static final String AUDIT_FILE = "audit.jsonl";

    @Option(names = "--data-dir", defaultValue = "demo-data",
            description = "The demo's own folder: config, users, store, audit trail (default: ${DEFAULT-VALUE})."
                    + " One demo at a time per folder.")
    Path dataDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        var err = spec.commandLine().getErr();
        if (port < 1 || port > 65535) {
            err.println("portcullis demo: --port must be from 1 to 65535 but is " + port);
            return 2;
        }
        Files.createDirectories(dataDir);
        StringBuilder holder = new StringBuilder();
        DemoLock lock = DemoLock.tryAcquire(dataDir, holder);
        if (lock == null) {
            // Nothing written: the running demo hot-reloads these files.
            err.println("portcullis demo: " + dataDir.toAbsolutePath() + " is in use by another demo"
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; stop it first (Ctrl+C in its"
                    + " terminal), or give this one its own folder: --data-dir OTHER-FOLDER --port OTHER-PORT");
            err.flush();
            return 2;
        }
        DemoUpstream upstream = DemoUpstream.start(new InetSocketAddress("127.0.0.1", 0));
        Path configFile = dataDir.resolve("portcullis-demo.yaml");
        String password = DemoSignIn.prepare(dataDir, new SecureRandom());
        Files.writeString(configFile, demoConfig(port, upstream.port(), dataDir.toAbsolutePath()),
                StandardCharsets.UTF_8);
        LoadedConfig loaded = ConfigLoading.loadOrReport(configFile, err);
        if (loaded == null) {
            upstream.close();
            lock.close();
            return 1;
        }
        GatewayServer server;
        try {
            server = GatewayServer.start(loaded.config(), Clock.systemUTC());
        } catch (Exception e) {
            upstream.close();
            lock.close();
            err.println("portcullis demo: cannot start: " + e.getMessage() + " (try another --port)");
            return 2;
        }
        ConfigReloader reloader = new ConfigReloader(configFile, server);
        reloader.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reloader.close();
            server.close();
            upstream.close();
            lock.close();
            stopped.countDown();
        }, "portcullis-demo-shutdown"));
        Path config = configFile.toAbsolutePath();
        var out = spec.commandLine().getOut();
        out.println();
        out.println("Portcullis demo is running.");
        out.println("  Open:            http://localhost:" + port + "/");
        out.println("  Sign in as:      " + DemoSignIn.USERNAME + " / " + password + "  (a new password at every start)");
        // The admin area needs a second factor; enrolling the first one needs an admin's enrolment code (never the
        // password alone), so the demo plays the admin and prints one.
        server.runtime().storage().ifPresent(store -> out.println("  Enrolment code:  "
                + new InvitationCodes(store).issue(DemoSignIn.USERNAME, Duration.ofHours(24), Instant.now()).reveal()
                + "  (to set up an authenticator app or a security key, for /admin)"));
        out.println("  Sign out at:     http://localhost:" + port + "/.portcullis/");
        out.println("  Protected area:  http://localhost:" + port + "/admin  (needs a second factor)");
        out.println("  Config:          " + config + "  (edit it: the gateway reloads it)");
        out.println("  Audit trail:     " + dataDir.toAbsolutePath().resolve(AUDIT_FILE)
                + "  (sign in, then try, in another terminal:)");
        out.println("                   ./portcullis audit verify --config " + config);
        out.println("                   ./portcullis audit query --config " + config + " --user demo");
        out.println("                   ./portcullis audit report --config " + config + " --out demo-report.html");
        out.println("Press Ctrl+C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    static String demoConfig(int gatewayPort, int upstreamPort, Path dataDir) {
        return """
                # Portcullis demo config, written by `./portcullis demo`. Edit and save: the gateway reloads it.
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                routes:
                  - name: care-records
                    host: localhost
                    upstream: http://127.0.0.1:%d
                    # The app shows these headers in its "Request details" box: who the gateway says you are.
                    identity_headers: x_forwarded
                # The sign-in pages live on the protected host itself, under /.portcullis/. A real deployment uses
                # https; browsers treat http://localhost as secure, so the demo can do without a certificate.
                portal:
                  url: http://localhost:%d
                  branding:
                    organisation: Riverside Community Care
                storage:
                  data_dir: %s
                  encryption_key: ${file:%s}
                users:
                  file: %s
                # The audit trail: every sign-in, refusal and admin command, sealed in a hash chain
                # (docs/audit-log.md). log_allowed also writes the requests let through, so the trail shows it all.
                audit:
                  file: %s
                  key: ${file:%s}
                  log_allowed: true
                access_control:
                  default_policy: deny
                  rules:
                    - id: health-check
                      paths: [/healthz]
                      methods: [GET, HEAD]
                      policy: bypass
                      exception: health-check
                    - id: admin-area
                      paths: [/admin/**]
                      policy: two_factor
                    - id: records-demo
                      hosts: [localhost]
                      policy: one_factor
                      exception: demo-records
                  # Every rule weaker than two factors names its approved exception (docs/compliance.md).
                  exceptions:
                    - id: health-check
                      reason: the load balancer's health check; the page shows no patient data
                      risk_owner: Head of IT
                      approver: SIRO
                      approved_on: %s
                      review_by: %s
                    - id: demo-records
                      reason: a demo, so a password alone is enough to look around
                      risk_owner: Demo owner
                      approver: Demo owner
                      approved_on: %s
                      review_by: %s
                """.formatted(gatewayPort, upstreamPort, gatewayPort, dataDir.resolve("store"),
                dataDir.resolve(DemoSignIn.KEY_FILE), dataDir.resolve(DemoSignIn.USERS_FILE),
                dataDir.resolve(AUDIT_FILE), dataDir.resolve(DemoSignIn.AUDIT_KEY_FILE), today(), today().plusMonths(6),
                today(), today().plusMonths(6));
    }

    /** The demo's exceptions are approved the day it is written and due for review six months later. */
    private static java.time.LocalDate today() {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    }
}
