package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user gets from whole config files: the records of a valid one, every error of a broken one. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void fullConfigBuildsTheExpectedRecords() throws Exception {
        ConfigFiles files = new ConfigFiles(dir, Map.of("LAN", "10.20.0.0/16"));
        Path cert = files.write("cert.pem", "cert");
        Path key = files.write("key.pem", "key");
        Path ca = files.write("ca.pem", "ca");
        Path proxies = files.write("proxy.txt", "10.0.0.0/8\n");
        LoadedConfig loaded = files.load("""
                server:
                  listeners:
                    - address: 0.0.0.0:8443
                      tls:
                        certificate: cert.pem
                        private_key: %s
                    - address: 127.0.0.1:8080
                    - address: '[::]:8081'
                      allow_plain_http: true
                  trusted_proxies: ['${file:%s}']
                limits:
                  max_headers: 50
                  max_body_bytes: 1MiB
                  idle_timeout: 2m
                routes:
                  - name: records
                    host: Records.Example.org
                    upstream: http://10.1.2.3:8080/
                  - name: api
                    host: '*.example.org'
                    path_prefix: /api
                    upstream: https://API.internal:9443
                    upstream_timeout: 500ms
                    max_body_bytes: 512KiB
                    ca_bundle: ca.pem
                    websocket_origins: [https://records.example.org:443, http://localhost:3000]
                networks:
                  trust_lan: ['${env:LAN}', 2001:db8::/32]
                access_control:
                  default_policy: one_factor
                  rules:
                    - id: lb-health
                      hosts: [records.example.org]
                      paths: [/healthz, /admin/**, /api/*/status]
                      methods: [get, DELETE]
                      networks: [trust_lan, 10.0.0.5/32]
                      policy: bypass
                    - subjects: [[group:Clinicians], [user:alice, group:x], user:bob]
                      policy: two_factor
                      factors: [webauthn]
                      max_factor_age: 15m
                    - policy: two_factor
                """.formatted(key, proxies));

        GatewayConfig config = loaded.config();
        assertThat(ConfigFiles.otherThanExceptionRegister(loaded)).containsExactly(files.file() + ":39:"
                + " access_control.rules[1].policy: this policy needs a sign-in, but there is no portal section (nor"
                + " users): every browser it applies to meets a sign-in it cannot complete (2 more ask for one too)"
                + " (allowed: add portal, users and storage sections, or use bypass or deny)");
        assertThat(config.source()).isEqualTo(files.file());
        assertThat(config.referencedFiles()).containsExactly(proxies, cert, key, ca);

        assertThat(config.server().listeners()).containsExactly(
                new ListenerConfig(new HostPort("0.0.0.0", 8443), new TlsConfig(cert, key), false),
                new ListenerConfig(new HostPort("127.0.0.1", 8080), null, false),
                new ListenerConfig(new HostPort("::", 8081), null, true));
        assertThat(config.server().trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"));

        LimitsConfig defaults = LimitsConfig.defaults();
        assertThat(config.limits()).isEqualTo(new LimitsConfig(defaults.maxRequestLineBytes(),
                defaults.maxHeaderBytes(), 50, 1024 * 1024, defaults.headerReadTimeout(), defaults.bodyReadTimeout(),
                defaults.bodyMinBytesPerSecond(), Duration.ofMinutes(2), defaults.maxConnectionsPerAddress(), defaults.upstreamConnectTimeout(),
                defaults.maxUpstreamConnections()));

        assertThat(config.routes()).containsExactly(
                new RouteConfig("records", new HostPattern("records.example.org"), "/",
                        URI.create("http://10.1.2.3:8080"), RouteConfig.DEFAULT_UPSTREAM_TIMEOUT, null, null,
                        List.of(), IdentityHeaders.defaults(), null),
                new RouteConfig("api", new HostPattern("*.example.org"), "/api", URI.create("https://api.internal:9443"),
                        Duration.ofMillis(500), 512L * 1024, ca,
                        List.of("https://records.example.org", "http://localhost:3000"), IdentityHeaders.defaults(),
                        null));

        NetworkRef lan = new NetworkRef("trust_lan", List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("2001:db8::/32")));
        assertThat(config.networks()).containsExactly(Map.entry("trust_lan", lan));

        AccessControlConfig acl = config.accessControl();
        assertThat(acl.defaultPolicy()).isEqualTo(PolicyKind.ONE_FACTOR);
        assertThat(acl.rules()).containsExactly(
                new AccessRule("lb-health", List.of(new HostPattern("records.example.org")),
                        List.of(new PathPattern("/healthz"), new PathPattern("/admin/**"),
                                new PathPattern("/api/*/status")),
                        Set.of("GET", "DELETE"),
                        List.of(lan, new NetworkRef("10.0.0.5/32", List.of(Cidr.parse("10.0.0.5/32")))),
                        List.of(), PolicyKind.BYPASS, Set.of(), null),
                new AccessRule("rule #2", List.of(), List.of(), Set.of(), List.of(),
                        List.of(List.of(new Subject(Subject.Kind.GROUP, "clinicians")),
                                List.of(new Subject(Subject.Kind.USER, "alice"), new Subject(Subject.Kind.GROUP, "x")),
                                List.of(new Subject(Subject.Kind.USER, "bob"))),
                        PolicyKind.TWO_FACTOR, Set.of(SecondFactor.WEBAUTHN), Duration.ofMinutes(15)),
                new AccessRule("rule #3", List.of(), List.of(), Set.of(), List.of(), List.of(),
                        PolicyKind.TWO_FACTOR, Set.of(SecondFactor.TOTP, SecondFactor.WEBAUTHN), null));
    }

    @Test
    void allowBodyOnGetIsOffUnlessARouteTurnsItOn() throws Exception {
        GatewayConfig config = new ConfigFiles(dir).load(ConfigFiles.MINIMAL + """
                routes:
                  - name: search
                    host: search.example.org
                    upstream: http://10.1.2.3
                    allow_body_on_get: true
                  - name: records
                    host: records.example.org
                    upstream: http://10.1.2.4
                """).config();
        assertThat(config.routes()).extracting(RouteConfig::allowBodyOnGet).containsExactly(true, false);
    }

    @Test
    void streamLimitsAreReadPerRouteAndDefaultToEightHoursAndNoIdleLimit() throws Exception {
        GatewayConfig config = new ConfigFiles(dir).load(ConfigFiles.MINIMAL + """
                routes:
                  - name: console
                    host: console.example.org
                    upstream: http://10.1.2.3
                    max_stream_duration: 4h
                    stream_idle_timeout: 20m
                  - name: records
                    host: records.example.org
                    upstream: http://10.1.2.4
                """).config();
        assertThat(config.routes()).extracting(RouteConfig::streamLimits).containsExactly(
                new RouteConfig.StreamLimits(Duration.ofHours(4), Duration.ofMinutes(20)),
                new RouteConfig.StreamLimits(Duration.ofHours(8), null));
    }

    @Test
    void hstsIsReadAndDefaultsToThePortalOnly() throws Exception {
        assertThat(new ConfigFiles(dir).load(ConfigFiles.MINIMAL).config().server().hsts())
                .isEqualTo(new HstsConfig(Duration.ofDays(365), false, true, false));
        HstsConfig hsts = new ConfigFiles(dir).load(ConfigFiles.MINIMAL + """
                  hsts:
                    max_age: 1d
                    include_subdomains: true
                    portal: false
                    on_proxied: true
                """).config().server().hsts();
        assertThat(hsts).isEqualTo(new HstsConfig(Duration.ofDays(1), true, false, true));
        assertThat(hsts.headerValue()).isEqualTo("max-age=86400; includeSubDomains");
    }

    @Test
    void minimalConfigTakesEveryDefaultFromTheModel() throws Exception {
        GatewayConfig config = new ConfigFiles(dir).load(MINIMAL).config();
        assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
        assertThat(config.accessControl()).isEqualTo(AccessControlConfig.denyAll());
        assertThat(config.routes()).isEmpty();
        assertThat(config.networks()).isEmpty();
        assertThat(config.referencedFiles()).isEmpty();
        assertThat(config.server().trustedProxies()).isEmpty();
        assertThat(config.audit()).isNull();
        assertThat(config.storage()).isNull();
        assertThat(config.users()).isNull();
        assertThat(config.sessions()).isEqualTo(SessionsConfig.defaults());
        assertThat(config.lockout()).isEqualTo(LockoutConfig.defaults());
    }

    @Test
    void storageSessionsUsersAndLockoutBuildTheirRecords() throws Exception {
        String hexKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        ConfigFiles files = new ConfigFiles(dir);
        Path keyFile = files.write("storage.key", hexKey + "\n");
        Path users = files.write("users.yaml", "users: {}\n");
        GatewayConfig config = files.load(MINIMAL + """
                storage:
                  data_dir: state
                  encryption_key: ${file:%s}
                sessions:
                  idle_timeout: 10m
                users:
                  file: users.yaml
                lockout:
                  max_failures: 3
                  address_lock_for: 1h
                """.formatted(keyFile)).config();

        assertThat(config.storage().dataDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.storage().encryptionKeyText()).isEqualTo(hexKey);
        assertThat(config.storage().toString()).doesNotContain(hexKey).contains("(redacted, 64 chars)");
        assertThat(config.toString()).doesNotContain(hexKey);
        assertThat(config.sessions()).isEqualTo(new SessionsConfig(Duration.ofMinutes(10), Duration.ofHours(12)));
        assertThat(config.users().file()).isEqualTo(users);
        assertThat(config.lockout()).isEqualTo(new LockoutConfig(3, Duration.ofMinutes(5), Duration.ofMinutes(15), 100,
                20, Duration.ofMinutes(5), Duration.ofHours(1)));
        assertThat(config.referencedFiles()).as("the key file is watched, the users file has its own reloader")
                .containsExactly(keyFile);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff", // hex
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", // base64
            "__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA", // base64url without padding
    })
    void everyKeyEncodingIsAccepted(String key) throws Exception {
        GatewayConfig config = new ConfigFiles(dir).load(MINIMAL + "storage:\n  data_dir: .\n  encryption_key: '"
                + key + "'\n").config();
        assertThat(config.storage().encryptionKeyText()).isEqualTo(key);
        assertThat(config.storage().dataDir()).isEqualTo(dir);
    }

    @Test
    void auditFileIsTakenFromTheConfigDirectoryAndNotWatched() throws Exception {
        GatewayConfig config = new ConfigFiles(dir).load(MINIMAL + "audit:\n  file: audit.jsonl\n  key: "
                + AUDIT_KEY + "\n").config();
        assertThat(config.audit()).isEqualTo(AuditConfig.of(dir.resolve("audit.jsonl").toAbsolutePath(), false,
                AUDIT_KEY));
        assertThat(config.audit().rotation()).isEqualTo(AuditConfig.Rotation.DAILY);
        assertThat(config.audit().flush()).isEqualTo(AuditConfig.Flush.INTERVAL);
        assertThat(config.referencedFiles()).isEmpty();
        GatewayConfig logging = new ConfigFiles(dir)
                .load(MINIMAL + "audit:\n  file: %s\n  log_allowed: true\n  key: %s\n".formatted(
                        dir.resolve("a.jsonl"), AUDIT_KEY))
                .config();
        assertThat(logging.audit().logAllowed()).isTrue();
    }

    static final String AUDIT_KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    @Test
    void auditSyslogIsReadWithTlsOnByDefault() throws Exception {
        Path ca = Files.writeString(dir.resolve("siem-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        GatewayConfig config = new ConfigFiles(dir).load(MINIMAL + "audit:\n  file: audit.jsonl\n  key: "
                + AUDIT_KEY + "\n  syslog:\n    address: SIEM.example.org:6514\n    ca_bundle: siem-ca.pem\n").config();
        assertThat(config.audit().syslog()).isEqualTo(new AuditSyslogConfig(new HostPort("siem.example.org", 6514),
                true, ca.toAbsolutePath(), "portcullis"));

        GatewayConfig plain = new ConfigFiles(dir).load(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  syslog:\n    address: '[::1]:514'\n    tls: false\n    app_name: gw-ward-3\n").config();
        assertThat(plain.audit().syslog()).isEqualTo(new AuditSyslogConfig(new HostPort("::1", 514), false, null,
                "gw-ward-3"));
        assertThat(new ConfigFiles(dir).load(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY + "\n")
                .config().audit().syslog()).isNull();
    }

    @Test
    void auditRotationCompressionAndFlushAreRead() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("audit.key"), AUDIT_KEY + "\n");
        AuditConfig audit = new ConfigFiles(dir).load(MINIMAL + """
                audit:
                  file: audit.jsonl
                  key: ${file:%s}
                  rotate: size
                  max_size: 10MiB
                  compress: true
                  flush: interval
                  flush_interval: 250ms
                """.formatted(keyFile)).config().audit();
        assertThat(audit).isEqualTo(new AuditConfig(dir.resolve("audit.jsonl").toAbsolutePath(), false, AUDIT_KEY,
                AuditConfig.Rotation.SIZE, 10L * 1024 * 1024, true, AuditConfig.Flush.INTERVAL,
                Duration.ofMillis(250)));
        assertThat(audit.toString()).doesNotContain(AUDIT_KEY).contains("(redacted, 44 chars)");
    }

    @Test
    void everyErrorIsReportedTogetherInFileOrder() {
        ConfigFiles files = new ConfigFiles(dir);
        List<String> errors = files.errors("""
                server:
                  listeners:
                    - address: 0.0.0.0:8080
                  trusted_proxies: [10.0.0.0/33]
                limits:
                  idle_timout: 10s
                  header_read_timeout: 10
                routes:
                  - name: records
                    host: records.example.org
                    upstream: ftp://10.1.2.3
                access_control:
                  rules:
                    - policy: bypass
                      subjects: [user:alice]
                    - policy: maybe
                """);
        assertThat(errors).containsExactly(
                files.at(3, "server.listeners[0]: plain HTTP on non-loopback address '0.0.0.0:8080'"
                        + " (allowed: add tls, or set allow_plain_http: true behind a TLS-terminating proxy)"),
                files.at(4, "server.trusted_proxies[0]: '10.0.0.0/33' is not a CIDR:"
                        + " prefix length must be a number from 0 to 32"),
                files.at(6, "limits.idle_timout: unknown key (did you mean 'idle_timeout'?)"),
                files.at(7, "limits.header_read_timeout: '10' is not a duration"
                        + " (allowed: a positive whole number with ms, s, m, h or d, e.g. 10s)"),
                files.at(11, "routes[0].upstream: 'ftp://10.1.2.3' is not an upstream URL:"
                        + " the scheme must be http or https (allowed: http://HOST[:PORT] or https://HOST[:PORT])"),
                files.at(15, "access_control.rules[0].subjects: not allowed with policy bypass"
                        + " (bypass lets everyone through without identifying them)"),
                files.at(16, "access_control.rules[1].policy: 'maybe' is not a policy"
                        + " (allowed: bypass, one_factor, two_factor, deny)"));
    }

    @Test
    void exceptionMessageJoinsAllErrors() {
        ConfigFiles files = new ConfigFiles(dir);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> files.load("server:\n  listeners: []\nlimits: 5\n"));
        assertThat(e.getMessage()).isEqualTo(files.at(2,
                "server.listeners: is an empty list (allowed: at least one item, or leave the key out)") + "\n"
                + files.at(3, "limits: must be a mapping, not a number"));
    }

    @Test
    void secretsAreRedactedInMessages() {
        ConfigFiles files = new ConfigFiles(dir, Map.of("UPSTREAM", "http://svc:s3cret@10.1.2.3"));
        Path secretFile = files.write("net.txt", "10.9.8.7/8\n");
        List<String> errors = files.errors(MINIMAL + """
                  trusted_proxies: ['${file:%s}']
                routes:
                  - name: records
                    host: records.example.org
                    upstream: ${env:UPSTREAM}
                """.formatted(secretFile));
        assertThat(errors).containsExactly(
                files.at(4, "server.trusted_proxies[0]: (redacted, 10 chars) is not a CIDR: host bits are set"),
                files.at(8, "routes[0].upstream: (redacted, 26 chars) is not an upstream URL: user info is not"
                        + " allowed (allowed: http://HOST[:PORT] or https://HOST[:PORT])"));
        assertThat(String.join("\n", errors)).doesNotContain("s3cret", "10.9.8.7", "svc");
    }

    @Test
    void fileReferenceLosesOneTrailingNewlineOnly() throws Exception {
        ConfigFiles files = new ConfigFiles(dir);
        Path id = files.write("id.txt", "records\r\n");
        Path twoLines = files.write("origin.txt", "https://a.example.org\n\n");
        List<String> errors = files.errors(MINIMAL + """
                routes:
                  - name: ${file:%s}
                    host: records.example.org
                    upstream: http://10.1.2.3
                    websocket_origins: ['${file:%s}']
                """.formatted(id, twoLines));
        assertThat(errors).containsExactly(files.at(8, "routes[0].websocket_origins[0]: (redacted, 22 chars) is not"
                + " an origin (allowed: http or https scheme://host[:port], e.g. https://records.example.org)"));

        Path origin = files.write("origin.txt", "https://a.example.org\n");
        GatewayConfig config = files.load(MINIMAL + """
                routes:
                  - name: ${file:%s}
                    host: records.example.org
                    upstream: http://10.1.2.3
                    websocket_origins: ['${file:%s}']
                """.formatted(id, origin)).config();
        assertThat(config.routes().get(0).name()).isEqualTo("records");
        assertThat(config.routes().get(0).websocketOrigins()).containsExactly("https://a.example.org");
        assertThat(config.referencedFiles()).containsExactly(id, origin);
    }

    @Test
    void relativeCaBundleIsResolvedAgainstTheConfigDirectory() {
        ConfigFiles files = new ConfigFiles(dir);
        List<String> errors = files.errors(MINIMAL + """
                routes:
                  - name: records
                    host: records.example.org
                    upstream: https://10.1.2.3
                    ca_bundle: certs/ca.pem
                """);
        assertThat(errors).containsExactly(
                files.at(8, "routes[0].ca_bundle: 'certs/ca.pem' is not a readable file (no such file)"));
    }

    @Test
    void relativeCaBundleIsFoundNextToTheConfig() throws Exception {
        ConfigFiles files = new ConfigFiles(dir);
        java.nio.file.Files.createDirectories(dir.resolve("certs"));
        Path ca = files.write("certs/ca.pem", "ca");
        GatewayConfig config = files.load(MINIMAL + """
                routes:
                  - name: records
                    host: records.example.org
                    upstream: https://10.1.2.3
                    ca_bundle: certs/../certs/ca.pem
                """).config();
        assertThat(config.routes().get(0).caBundle()).isEqualTo(ca);
        assertThat(config.referencedFiles()).containsExactly(ca);
    }

    @Test
    void rulesThatCanStillMatchAreNotWarnedAbout() throws Exception {
        LoadedConfig loaded = new ConfigFiles(dir).load(MINIMAL + """
                networks:
                  lan: [10.0.0.0/8]
                access_control:
                  rules:
                    - subjects: [group:admins]
                      policy: one_factor
                    - paths: [/admin/**]
                      policy: two_factor
                    - paths: [/admin/**]
                      methods: [GET]
                      networks: [lan]
                      policy: bypass
                    - hosts: ['*.example.org']
                      paths: [/admin/**, /other]
                      policy: deny
                    - hosts: [example.org]
                      paths: [/admin/**]
                      networks: [10.1.0.0/16]
                      methods: [GET]
                      policy: deny
                """);
        // Rule 1 names subjects and rule 4 adds a path, so neither is covered; rules 3 and 5 are narrower than
        // rule 2 (any host, the same paths, any method, any network).
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(
                loaded.config().source() + ":12: access_control.rules[2]: rule #3 can never match: rule #2"
                        + " (access_control.rules[1]) comes first and matches every request it would",
                loaded.config().source() + ":19: access_control.rules[4]: rule #5 can never match: rule #2"
                        + " (access_control.rules[1]) comes first and matches every request it would");
    }

    @Test
    void syntaxErrorStopsBeforeValidation() {
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.errors("server:\n  listeners: x\n bad: [\n")).hasSize(1)
                .first().asString().startsWith(files.file() + ":3: (yaml): syntax error: ");
    }

    @Test
    void emptyFileIsMissingItsServer() {
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.errors("# nothing yet\n")).containsExactly(files.at(1, "server: missing (required)"));
    }

    @Test
    void rootMustBeAMapping() {
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.errors("- server\n")).containsExactly(files.at(1, "(root): must be a mapping, not a list"));
    }

    @Test
    void controlCharactersInValuesAreEscaped() {
        ConfigFiles files = new ConfigFiles(dir);
        assertThat(files.errors(MINIMAL + "  trusted_proxies: [\"10.0.0.0/8\\nFAKE: entry\"]\n"))
                .containsExactly(files.at(4, "server.trusted_proxies[0]: '10.0.0.0/8\\nFAKE: entry' is not a CIDR:"
                        + " prefix length must be a number from 0 to 32"));
    }

    @Test
    void loopbackListenersNeedNoTls() throws Exception {
        GatewayConfig config = new ConfigFiles(dir).load("""
                server:
                  listeners:
                    - address: 127.0.0.1:0
                    - address: 127.0.0.1:0
                    - address: '[::1]:8080'
                    - address: localhost:8081
                """).config();
        assertThat(config.server().listeners()).extracting(ListenerConfig::address).containsExactly(
                new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), new HostPort("::1", 8080),
                new HostPort("localhost", 8081));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "-1s", "10 s", "1.5h", "0s", "10S", "s", "1w", "9999999999s"})
    void rejectsMalformedDurations(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @Test
    void acceptsDurationsInEveryUnit() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).contains(Duration.ofSeconds(10));
        assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(Durations.parse("12h")).contains(Duration.ofHours(12));
        assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10MB", "1KB", "1.5MiB", "-1", "1 MiB", "1mib", "99999999999GiB", ""})
    void rejectsMalformedSizes(String text) {
        assertThat(ByteSizes.parse(text)).isEmpty();
    }

    @Test
    void acceptsSizesInEveryUnit() {
        assertThat(ByteSizes.parse("0")).contains(0L);
        assertThat(ByteSizes.parse("123")).contains(123L);
        assertThat(ByteSizes.parse("123B")).contains(123L);
        assertThat(ByteSizes.parse("512KiB")).contains(512L * 1024);
        assertThat(ByteSizes.parse("10MiB")).contains(10L * 1024 * 1024);
        assertThat(ByteSizes.parse("1GiB")).contains(1024L * 1024 * 1024);
    }
}
