package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One test per config message (docs/configuration.md lists them), each asserting the full text a user reads,
 * file name and line included.
 */
class ConfigMessagesTest {
    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    // --- file and YAML structure -------------------------------------------------------------------------------

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.yml");
        assertThat(files.errorsOf(missing)).containsExactly(missing + ":0: (file): cannot read: no such file");
    }

    @Test
    void directoryInsteadOfFile() {
        assertThat(files.errorsOf(dir)).containsExactly(dir + ":0: (file): cannot read: is a directory");
    }

    @Test
    void fileNotUtf8() throws Exception {
        Path file = dir.resolve("latin1.yml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
        assertThat(files.errorsOf(file)).containsExactly(file + ":0: (file): cannot read: not UTF-8 text");
    }

    @Test
    void yamlSyntaxError() {
        assertThat(files.onlyError(MINIMAL + "limits: [1, 2\nroutes: []\n")).isEqualTo(files.at(5,
                "(yaml): syntax error: while parsing a flow sequence; expected ',' or ']', but got :"));
    }

    @Test
    void moreThanOneDocument() {
        assertThat(files.onlyError(MINIMAL + "---\nroutes: []\n"))
                .isEqualTo(files.at(5, "(yaml): more than one YAML document (allowed: exactly one)"));
    }

    @Test
    void alias() {
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: &a 127.0.0.1:8080
                  trusted_proxies: [*a]
                """)).isEqualTo(files.at(4,
                "server.trusted_proxies[0]: YAML aliases are not supported (allowed: write the value out)"));
    }

    @Test
    void duplicateKey() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  max_headers: 10\n  max_headers: 20\n"))
                .isEqualTo(files.at(6, "limits.max_headers: duplicate key (first defined on line 5)"));
    }

    @Test
    void unknownKeyWithHint() {
        assertThat(files.errors("""
                server:
                  listners:
                    - address: 127.0.0.1:8080
                """)).containsExactly(
                files.at(1, "server.listeners: missing (required)"),
                files.at(2, "server.listners: unknown key (did you mean 'listeners'?)"));
    }

    @Test
    void unknownKeyWithoutCloseMatch() {
        assertThat(files.onlyError(MINIMAL + "  backlog: 10\n"))
                .isEqualTo(files.at(4, "server.backlog: unknown key (allowed: listeners, trusted_proxies, transport, hsts,"
                        + " tls_provider, access_log, admin, shutdown_grace)"));
    }

    @Test
    void missingRequiredKey() {
        assertThat(files.onlyError(MINIMAL + """
                routes:
                  - name: records
                    host: records.example.org
                """)).isEqualTo(files.at(5, "routes[0].upstream: missing (required)"));
    }

    @Test
    void missingServerSection() {
        assertThat(files.onlyError("networks: {}\n"))
                .isEqualTo(files.at(1, "server: missing (required)"));
    }

    @Test
    void wrongType() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  - max_headers: 10\n"))
                .isEqualTo(files.at(4, "limits: must be a mapping, not a list"));
    }

    @Test
    void wrongTypeScalarForList() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: 10.0.0.0/8\n"))
                .isEqualTo(files.at(4, "server.trusted_proxies: must be a list, not a string"));
    }

    @Test
    void wrongTypeNull() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  idle_timeout:\n"))
                .isEqualTo(files.at(5, "limits.idle_timeout: must be a duration, not null"));
    }

    @Test
    void emptyList() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: []\n")).isEqualTo(files.at(4,
                "server.trusted_proxies: is an empty list (allowed: at least one item, or leave the key out)"));
    }

    @Test
    void emptyString() {
        assertThat(files.onlyError(MINIMAL + """
                routes:
                  - name: ""
                    host: records.example.org
                    upstream: http://10.1.2.3:8080
                """)).isEqualTo(files.at(5, "routes[0].name: is empty (allowed: a non-empty value)"));
    }

    // --- references --------------------------------------------------------------------------------------------

    @Test
    void envNotSet() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: ['${env:NOT_THERE}']\n"))
                .isEqualTo(files.at(4, "server.trusted_proxies[0]: ${env:NOT_THERE} is not set"));
    }

    @Test
    void fileReferenceNotAbsolute() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: ['${file:proxies.txt}']\n"))
                .isEqualTo(files.at(4, "server.trusted_proxies[0]: ${file:proxies.txt} is not an absolute path"));
    }

    @Test
    void fileReferenceUnreadable() {
        Path missing = dir.resolve("missing.txt");
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: ['${file:" + missing + "}']\n")).isEqualTo(
                files.at(4, "server.trusted_proxies[0]: ${file:" + missing + "} cannot be read (no such file)"));
    }

    @Test
    void badReference() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: ['10.${env:NET}.0.0/16']\n")).isEqualTo(files.at(4,
                "server.trusted_proxies[0]: '10.${env:NET}.0.0/16' is not a reference"
                        + " (allowed: the whole value ${env:NAME} or ${file:/absolute/path})"));
    }

    // --- scalar values -----------------------------------------------------------------------------------------

    @Test
    void notPositiveInteger() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  max_headers: 0\n")).isEqualTo(files.at(5,
                "limits.max_headers: '0' is not a positive integer (allowed: 1 to 2147483647)"));
    }

    /** A valid audit key (32 bytes, base64), different from {@link #KEY}. */
    static final String AUDIT_KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    @Test
    void auditFileInMissingDirectory() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: logs/audit.jsonl\n  key: " + AUDIT_KEY + "\n"))
                .isEqualTo(files.at(5, "audit.file: 'logs/audit.jsonl' is not a writable file (no such directory)"));
    }

    @Test
    void auditFileIsADirectory() throws Exception {
        Files.createDirectory(dir.resolve("logs"));
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: logs\n  key: " + AUDIT_KEY + "\n")).isEqualTo(
                files.at(5, "audit.file: 'logs' is not a writable file (is a directory)"));
    }

    @Test
    void auditWithoutFile() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  log_allowed: true\n  key: " + AUDIT_KEY + "\n"))
                .isEqualTo(files.at(4, "audit.file: missing (required)"));
    }

    @Test
    void auditWithoutKey() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n"))
                .isEqualTo(files.at(4, "audit.key: missing (required)"));
    }

    @Test
    void auditKeyIsNotA32ByteKeyAndIsNeverShown() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: c2VjcmV0\n")).isEqualTo(files.at(6,
                "audit.key: (redacted, 8 chars) is not a 32-byte key (allowed: 32 random bytes as base64, base64url "
                        + "or 64 hex digits)"));
    }

    @Test
    void auditKeyIsTheStorageKey() {
        String hex = "00".repeat(32); // the same 32 bytes as KEY, written differently
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: '" + hex + "'\nstorage:\n"
                + "  data_dir: .\n  encryption_key: " + KEY + "\n")).isEqualTo(files.at(6,
                "audit.key: (redacted, 64 chars) is the same key as storage.encryption_key (allowed: a separate key, "
                        + "so that whoever holds one cannot forge or read with the other)"));
    }

    @Test
    void auditNodeIdWithASpace() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  node_id: node 1\n")).isEqualTo(files.at(7,
                "audit.node_id: 'node 1' is not a node id (allowed: 1 to 64 of A-Z a-z 0-9 . _ -)"));
    }

    @Test
    void auditNodeIdIsRead() throws Exception {
        assertThat(files.load(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  node_id: node-1.eu\n").config().audit().nodeId()).isEqualTo("node-1.eu");
    }

    @Test
    void auditRotationIsNotKnown() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  rotate: weekly\n")).isEqualTo(files.at(7,
                "audit.rotate: 'weekly' is not a rotation (allowed: daily, size, never)"));
    }

    @Test
    void auditMaxSizeWithoutSizeRotation() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  max_size: 10MiB\n")).isEqualTo(files.at(7, "audit.max_size: only allowed with rotate: size"));
    }

    @Test
    void auditMaxSizeTooSmall() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  rotate: size\n  max_size: 100\n")).isEqualTo(files.at(8,
                "audit.max_size: '100' is out of range (allowed: 4KiB to any larger size)"));
    }

    @Test
    void auditFlushIsNotKnown() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  flush: never\n")).isEqualTo(files.at(7,
                "audit.flush: 'never' is not a flush mode (allowed: every_event, interval)"));
    }

    @Test
    void auditFlushIntervalWithEveryEvent() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  flush: every_event\n  flush_interval: 1s\n")).isEqualTo(files.at(8,
                "audit.flush_interval: only allowed with flush: interval"));
    }

    static final String AUDIT_START = MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY + "\n  syslog:\n";

    @Test
    void auditSyslogWithoutAddress() {
        assertThat(files.onlyError(AUDIT_START + "    tls: true\n")).isEqualTo(files.at(7,
                "audit.syslog.address: missing (required)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "siem.example.org",
        "siem.example.org:0",
        "siem.example.org:70000",
        "2001:db8::1:6514",
        "bad_name!:6514"})
    void auditSyslogAddressIsNotHostAndPort(String address) {
        assertThat(files.onlyError(AUDIT_START + "    address: '" + address + "'\n")).isEqualTo(files.at(8,
                "audit.syslog.address: '" + address + "' is not a syslog address (allowed: HOST:PORT with a DNS name, "
                        + "IPv4 or [IPv6] and a port 1 to 65535, e.g. siem.example.org:6514)"));
    }

    @Test
    void auditSyslogCaBundleWithoutTls() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "x");
        assertThat(files.onlyError(AUDIT_START + "    address: siem.example.org:514\n    tls: false\n"
                + "    ca_bundle: ca.pem\n")).isEqualTo(files.at(10,
                "audit.syslog.ca_bundle: only allowed with tls: true"));
    }

    @Test
    void auditSyslogCaBundleMissing() {
        assertThat(files.onlyError(AUDIT_START + "    address: siem.example.org:6514\n    ca_bundle: nope.pem\n"))
                .isEqualTo(files.at(9, "audit.syslog.ca_bundle: 'nope.pem' is not a readable file (no such file)"));
    }

    @Test
    void auditSyslogAppNameWithASpace() {
        assertThat(files.onlyError(AUDIT_START + "    address: siem.example.org:6514\n    app_name: 'port cullis'\n"))
                .isEqualTo(files.at(9, "audit.syslog.app_name: 'port cullis' is not an app name (allowed: 1 to 48 "
                        + "printable ASCII characters, no spaces, e.g. portcullis)"));
    }

    @Test
    void auditSyslogUnknownKey() {
        assertThat(files.onlyError(AUDIT_START + "    address: siem.example.org:6514\n    port: 514\n"))
                .startsWith(files.at(9, "audit.syslog.port: unknown key"));
    }

    @Test
    void auditFlushIntervalOutOfRange() {
        assertThat(files.onlyError(MINIMAL + "audit:\n  file: audit.jsonl\n  key: " + AUDIT_KEY
                + "\n  flush_interval: 2h\n")).isEqualTo(files.at(7,
                "audit.flush_interval: '2h' is out of range (allowed: 10ms to 1m)"));
    }

    @Test
    void notBoolean() {
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: 0.0.0.0:8080
                      allow_plain_http: yes
                """)).isEqualTo(files.at(4,
                "server.listeners[0].allow_plain_http: 'yes' is not a boolean (allowed: true, false)"));
    }

    @Test
    void allowBodyOnGetNotBoolean() {
        assertThat(files.onlyError(MINIMAL + """
                routes:
                  - name: records
                    host: records.example.org
                    upstream: http://10.1.2.3
                    allow_body_on_get: sometimes
                """)).isEqualTo(files.at(8,
                "routes[0].allow_body_on_get: 'sometimes' is not a boolean (allowed: true, false)"));
    }

    @Test
    void streamLimitsMustBePositiveDurations() {
        assertThat(files.onlyError(MINIMAL + """
                routes:
                  - name: console
                    host: console.example.org
                    upstream: http://10.1.2.3
                    max_stream_duration: 0s
                """)).isEqualTo(files.at(8, "routes[0].max_stream_duration: '0s' is not a duration"
                + " (allowed: a positive whole number with ms, s, m, h or d, e.g. 10s)"));
        assertThat(files.onlyError(MINIMAL + """
                routes:
                  - name: console
                    host: console.example.org
                    upstream: http://10.1.2.3
                    stream_idle_timeout: forever
                """)).isEqualTo(files.at(8, "routes[0].stream_idle_timeout: 'forever' is not a duration"
                + " (allowed: a positive whole number with ms, s, m, h or d, e.g. 10s)"));
    }

    @Test
    void hstsMaxAgeOutOfRange() {
        assertThat(files.onlyError(MINIMAL + "  hsts:\n    max_age: 800d\n")).isEqualTo(files.at(5,
                "server.hsts.max_age: '800d' is out of range (allowed: 1s to 730d)"));
    }

    @Test
    void hstsOnProxiedNotBoolean() {
        assertThat(files.onlyError(MINIMAL + "  hsts:\n    on_proxied: always\n")).isEqualTo(files.at(5,
                "server.hsts.on_proxied: 'always' is not a boolean (allowed: true, false)"));
    }

    @Test
    void notDuration() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  header_read_timeout: ten\n")).isEqualTo(files.at(5,
                "limits.header_read_timeout: 'ten' is not a duration"
                        + " (allowed: a positive whole number with ms, s, m, h or d, e.g. 10s)"));
    }

    @Test
    void notSize() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  max_body_bytes: 10MB\n")).isEqualTo(files.at(5,
                "limits.max_body_bytes: '10MB' is not a size"
                        + " (allowed: a number of bytes, optionally with B, KiB, MiB or GiB, e.g. 10MiB)"));
    }

    @Test
    void bodyMinRateIsASizePerSecond() {
        assertThat(files.onlyError(MINIMAL + "limits:\n  body_min_rate: fast\n")).isEqualTo(files.at(5,
                "limits.body_min_rate: 'fast' is not a size"
                        + " (allowed: a number of bytes, optionally with B, KiB, MiB or GiB, e.g. 10MiB)"));
    }

    @Test
    void fileNotReadable() {
        Path key = files.write("key.pem", "key");
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: 0.0.0.0:8443
                      tls:
                        certificate: cert.pem
                        private_key: %s
                """.formatted(key))).isEqualTo(files.at(5,
                "server.listeners[0].tls.certificate: 'cert.pem' is not a readable file (no such file)"));
    }

    @Test
    void notCidr() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies: [10.0.0.0/8, 10.0.0.0/33]\n")).isEqualTo(files.at(4,
                "server.trusted_proxies[1]: '10.0.0.0/33' is not a CIDR: prefix length must be a number from 0 to 32"));
    }

    @Test
    void notCidrHostBits() {
        assertThat(files.onlyError(MINIMAL + "  trusted_proxies:\n    - 10.1.2.3/8\n")).isEqualTo(files.at(5,
                "server.trusted_proxies[0]: '10.1.2.3/8' is not a CIDR: host bits are set; the network is 10.0.0.0/8"));
    }

    // --- server ------------------------------------------------------------------------------------------------

    @Test
    void notTransport() {
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: 127.0.0.1:8080
                  transport: uring
                """)).isEqualTo(files.at(4, "server.transport: 'uring' is not a transport"
                + " (allowed: auto, epoll, io_uring, nio)"));
    }

    @Test
    void transportDefaultsToAutoAndTakesEachChoice() throws Exception {
        String base = "server:\n  listeners:\n    - address: 127.0.0.1:8080\n";
        assertThat(files.load(base).config().server().transport()).isEqualTo(ServerConfig.Transport.AUTO);
        for (ServerConfig.Transport choice : ServerConfig.Transport.values()) {
            assertThat(files.load(base + "  transport: " + choice.yaml() + "\n").config().server().transport())
                    .isEqualTo(choice);
        }
    }

    // --- server.access_log ----------------------------------------------------------------------------------------

    @Test
    void accessLogDefaultsToTextOnStderr() throws Exception {
        assertThat(files.load(MINIMAL).config().server().accessLog()).isEqualTo(AccessLogConfig.defaults());
        AccessLogConfig log = files.load(MINIMAL + "  access_log:\n    file: access.log\n").config().server()
                .accessLog();
        assertThat(log).isEqualTo(new AccessLogConfig(true, dir.resolve("access.log"), AccessLogConfig.Format.TEXT,
                AuditConfig.Rotation.DAILY, 0));
    }

    @Test
    void accessLogTakesEveryKey() throws Exception {
        AccessLogConfig log = files.load(MINIMAL + "  access_log:\n    enabled: false\n    file: access.log\n"
                + "    format: json\n    rotate: size\n    max_size: 1MiB\n").config().server().accessLog();
        assertThat(log).isEqualTo(new AccessLogConfig(false, dir.resolve("access.log"), AccessLogConfig.Format.JSON,
                AuditConfig.Rotation.SIZE, 1024 * 1024));
        assertThat(files.load(MINIMAL + "  access_log:\n    file: access.log\n    rotate: size\n").config()
                .server().accessLog().maxSize()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void accessLogUnknownKey() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    path: access.log\n")).isEqualTo(files.at(5,
                "server.access_log.path: unknown key (allowed: enabled, file, format, rotate, max_size)"));
    }

    @Test
    void accessLogFileInMissingDirectory() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    file: logs/access.log\n")).isEqualTo(files.at(5,
                "server.access_log.file: 'logs/access.log' is not a writable file (no such directory)"));
    }

    @Test
    void accessLogFormatIsNotKnown() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    format: combined\n")).isEqualTo(files.at(5,
                "server.access_log.format: 'combined' is not an access log format (allowed: text, json)"));
    }

    @Test
    void accessLogEnabledIsNotBoolean() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    enabled: off\n")).isEqualTo(files.at(5,
                "server.access_log.enabled: 'off' is not a boolean (allowed: true, false)"));
    }

    @Test
    void accessLogRotationWithoutFile() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    rotate: daily\n")).isEqualTo(files.at(5,
                "server.access_log.rotate: only allowed with file (stderr is not rotated)"));
    }

    @Test
    void accessLogRotationIsNotKnown() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    file: access.log\n    rotate: weekly\n"))
                .isEqualTo(files.at(6, "server.access_log.rotate: 'weekly' is not a rotation (allowed: daily, size, "
                        + "never)"));
    }

    @Test
    void accessLogMaxSizeWithoutSizeRotation() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    file: access.log\n    max_size: 10MiB\n"))
                .isEqualTo(files.at(6, "server.access_log.max_size: only allowed with rotate: size"));
    }

    @Test
    void accessLogMaxSizeTooSmall() {
        assertThat(files.onlyError(MINIMAL + "  access_log:\n    file: access.log\n    rotate: size\n"
                + "    max_size: 100\n")).isEqualTo(files.at(7,
                "server.access_log.max_size: '100' is out of range (allowed: 4KiB to any larger size)"));
    }

    @Test
    void notTlsProvider() {
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: 127.0.0.1:8080
                  tls_provider: boringssl
                """)).isEqualTo(files.at(4, "server.tls_provider: 'boringssl' is not a TLS provider"
                + " (allowed: auto, openssl, jdk)"));
    }

    @Test
    void tlsProviderDefaultsToAutoAndTakesEachChoice() throws Exception {
        String base = "server:\n  listeners:\n    - address: 127.0.0.1:8080\n";
        assertThat(files.load(base).config().server().tlsProvider()).isEqualTo(ServerConfig.TlsProvider.AUTO);
        for (ServerConfig.TlsProvider choice : ServerConfig.TlsProvider.values()) {
            assertThat(files.load(base + "  tls_provider: " + choice.yaml() + "\n").config().server().tlsProvider())
                    .isEqualTo(choice);
        }
    }

    @Test
    void notListenAddress() {
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: ::1:8080
                """)).isEqualTo(files.at(3, "server.listeners[0].address: '::1:8080' is not a listen address"
                + " (allowed: IPv4:PORT, [IPv6]:PORT or localhost:PORT, port 0 to 65535, e.g. 0.0.0.0:8443)"));
    }

    @Test
    void loopbackLookalikeNameIsNotAListenAddress() {
        // HostPort.isLoopback() looks at the "127." prefix only; a name must never reach it.
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: 127.0.0.1.example.org:80
                """)).isEqualTo(files.at(3, "server.listeners[0].address: '127.0.0.1.example.org:80' is not a"
                + " listen address (allowed: IPv4:PORT, [IPv6]:PORT or localhost:PORT, port 0 to 65535,"
                + " e.g. 0.0.0.0:8443)"));
    }

    @Test
    void duplicateListenerAddress() {
        assertThat(files.onlyError(MINIMAL + "    - address: 127.0.0.1:8080\n")).isEqualTo(files.at(4,
                "server.listeners[1].address: '127.0.0.1:8080' is already used by server.listeners[0]"));
    }

    @Test
    void noListeners() {
        assertThat(files.onlyError("server:\n  listeners: []\n")).isEqualTo(files.at(2,
                "server.listeners: is an empty list (allowed: at least one item, or leave the key out)"));
    }

    @Test
    void plainHttpOnPublicAddress() {
        assertThat(files.onlyError(MINIMAL + "    - address: 0.0.0.0:8080\n")).isEqualTo(files.at(4,
                "server.listeners[1]: plain HTTP on non-loopback address '0.0.0.0:8080'"
                        + " (allowed: add tls, or set allow_plain_http: true behind a TLS-terminating proxy)"));
    }

    @Test
    void allowPlainHttpWithTls() {
        files.write("cert.pem", "cert");
        assertThat(files.onlyError("""
                server:
                  listeners:
                    - address: 0.0.0.0:8443
                      allow_plain_http: true
                      tls:
                        certificate: cert.pem
                        private_key: cert.pem
                """)).isEqualTo(files.at(4,
                "server.listeners[0].allow_plain_http: only allowed on a listener without tls"));
    }

    // --- routes ------------------------------------------------------------------------------------------------

    private static String route(String name, String host, String extra) {
        return "  - name: " + name + "\n    host: " + host + "\n    upstream: http://10.1.2.3:8080\n" + extra;
    }

    @Test
    void notRouteName() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("Records!", "records.example.org", ""))).isEqualTo(
                files.at(5, "routes[0].name: 'Records!' is not a route name (allowed: a-z, 0-9, _ and -)"));
    }

    @Test
    void duplicateRouteName() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("records", "records.example.org", "")
                + route("records", "api.example.org", ""))).isEqualTo(
                files.at(8, "routes[1].name: 'records' is already used by routes[0]"));
    }

    @Test
    void notHost() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("records", "records_1.example.org", "")))
                .isEqualTo(files.at(6, "routes[0].host: 'records_1.example.org' is not a host"
                        + " (allowed: a DNS name, an IP address, [IPv6] or *.domain)"));
    }

    @Test
    void notPathPrefix() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("records", "records.example.org",
                "    path_prefix: /api/../admin\n"))).isEqualTo(files.at(8,
                "routes[0].path_prefix: '/api/../admin' is not a path prefix (allowed: starts with '/',"
                        + " no '..', '//', '%', '?', '#', ';', '\\', spaces or control characters)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://10.1.2.3            | the scheme must be http or https",
        "localhost:8080            | the scheme must be http or https",
        "http:10.1.2.3             | it has no host",
        "http://admin@10.1.2.3     | user info is not allowed",
        "http://bad_host           | the host is not a DNS name or IP address",
        "http://10.1.2.3:0         | the port must be 1 to 65535",
        "http://10.1.2.3/app       | a path is not allowed",
        "http://10.1.2.3/?a=b      | a query is not allowed",
        "http://10.1.2.3#top       | a fragment is not allowed",
        "http://10.1.2.3 x         | not a URL",
    })
    void notUpstream(String upstream, String reason) {
        String yaml = MINIMAL + "routes:\n  - name: records\n    host: records.example.org\n    upstream: '"
                + upstream + "'\n";
        assertThat(files.onlyError(yaml)).isEqualTo(files.at(7, "routes[0].upstream: '" + upstream
                + "' is not an upstream URL: " + reason + " (allowed: http://HOST[:PORT] or https://HOST[:PORT])"));
    }

    @Test
    void caBundleWithHttpUpstream() {
        files.write("ca.pem", "ca");
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("records", "records.example.org",
                "    ca_bundle: ca.pem\n"))).isEqualTo(
                files.at(8, "routes[0].ca_bundle: only allowed with an https upstream"));
    }

    @Test
    void notOrigin() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("records", "records.example.org",
                "    websocket_origins: [https://records.example.org/app]\n"))).isEqualTo(files.at(8,
                "routes[0].websocket_origins[0]: 'https://records.example.org/app' is not an origin"
                        + " (allowed: http or https scheme://host[:port], e.g. https://records.example.org)"));
    }

    @Test
    void overlappingRoutes() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("records", "Records.Example.org", "")
                + route("records-2", "records.example.org.", "    path_prefix: /\n"))).isEqualTo(files.at(8,
                "routes[1]: route 'records-2' has the same host and path_prefix as route 'records' (routes[0])"));
    }

    // --- networks ----------------------------------------------------------------------------------------------

    @Test
    void notNetworkName() {
        assertThat(files.onlyError(MINIMAL + "networks:\n  Trust LAN: [10.0.0.0/8]\n")).isEqualTo(files.at(5,
                "networks.Trust LAN: 'Trust LAN' is not a network name (allowed: a-z, 0-9, _ and -)"));
    }

    @Test
    void notCidrInNetwork() {
        assertThat(files.onlyError(MINIMAL + "networks:\n  lan: [10.0.0.0/8, lan.example.org]\n")).isEqualTo(
                files.at(5, "networks.lan[1]: 'lan.example.org' is not a CIDR: not a numeric IPv4 or IPv6 address"));
    }

    // --- routes: paths (case-insensitive upstreams, SECURITY-RULES 22) ------------------------------------------

    @Test
    void notUpstreamPaths() {
        assertThat(files.onlyError(MINIMAL + "routes:\n" + route("iis", "iis.example.org",
                "    paths: CaseInsensitive\n"))).isEqualTo(files.at(8,
                "routes[0].paths: 'CaseInsensitive' is not a paths setting"
                        + " (allowed: case_sensitive, case_insensitive)"));
    }

    @Test
    void upstreamPathsDefaultsToCaseSensitiveAndReadsCaseInsensitive() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "routes:\n" + route("plain", "plain.example.org", "")
                + route("iis", "iis.example.org", "    paths: case_insensitive\n").replace("10.1.2.3", "10.1.2.4"));
        assertThat(loaded.config().routes()).extracting(RouteConfig::paths)
                .containsExactly(UpstreamPaths.CASE_SENSITIVE, UpstreamPaths.CASE_INSENSITIVE);
        assertThat(loaded.warnings()).isEmpty();
    }

    /** Two routes, iis (case-insensitive) and plain (case-sensitive), to different upstreams; rules follow. */
    private static String windowsRoutes(String rules) {
        return MINIMAL + "routes:\n"
                + route("iis", "iis.example.org", "    paths: case_insensitive\n")
                + route("plain", "plain.example.org", "").replace("10.1.2.3", "10.1.2.4")
                + "access_control:\n  rules:\n" + rules;
    }

    @Test
    void rulePathsThatDifferOnlyByCaseOnACaseInsensitiveRoute() throws Exception {
        LoadedConfig loaded = files.load(windowsRoutes("""
                    - id: admin-closed
                      paths: [/Admin]
                      policy: deny
                    - id: admin-open
                      hosts: [iis.example.org]
                      paths:
                        - /public
                        - /admin
                      policy: bypass
                """));
        assertThat(ConfigFiles.otherThanExceptionRegister(loaded)).containsExactly(files.at(21,
                "access_control.rules[1].paths[1]: path '/admin' differs from '/Admin'"
                        + " (access_control.rules[0].paths[0]) only by case: on route 'iis' (paths: case_insensitive)"
                        + " both match the same requests, and the earlier rule decides"));
    }

    @Test
    void rulePathsThatDifferOnlyByCaseOnCaseSensitiveRoutesAreNoWarning() throws Exception {
        LoadedConfig loaded = files.load(windowsRoutes("""
                    - hosts: [plain.example.org]
                      paths: [/Admin]
                      policy: deny
                    - hosts: [plain.example.org]
                      paths: [/admin]
                      policy: bypass
                """));
        assertThat(ConfigFiles.otherThanExceptionRegister(loaded)).isEmpty();
    }

    @Test
    void upperCaseRulePathThatOnlyReachesCaseInsensitiveRoutes() throws Exception {
        LoadedConfig loaded = files.load(windowsRoutes("""
                    - hosts: ["*.example.org"]
                      paths: [/admin]
                      policy: deny
                    - hosts: [iis.example.org]
                      paths: [/Reports/**]
                      policy: two_factor
                """));
        assertThat(loaded.warnings()).map(ConfigProblem::toString).contains(files.at(18,
                "access_control.rules[1].paths[0]: path '/Reports/**' has upper-case letters, but every route it"
                        + " applies to (iis) has paths: case_insensitive, where case never matters"
                        + " (write it in lower case)"));
    }

    @Test
    void caseSensitiveRouteToTheUpstreamOfACaseInsensitiveOne() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "routes:\n"
                + route("iis", "iis.example.org", "    paths: case_insensitive\n")
                + route("iis-api", "iis.example.org", "    path_prefix: /api\n"));
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(files.at(9,
                "routes[1]: route 'iis-api' sends to the same upstream as route 'iis' (routes[0]), which has"
                        + " paths: case_insensitive; through this route /ADMIN is not /admin to the rules"
                        + " (set paths: case_insensitive here too if the upstream ignores case)"));
    }

    // --- access control ----------------------------------------------------------------------------------------

    @Test
    void aRuleNeedingASignInWithoutAPortalIsAWarningAtItsPolicy() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + """
                routes:
                  - name: records
                    host: records.example.org
                    upstream: http://10.1.2.3:8080
                access_control:
                  default_policy: deny
                  rules:
                    - paths: [/healthz]
                      policy: bypass
                    - paths: [/admin/**]
                      policy: two_factor
                    - policy: one_factor
                """);
        assertThat(ConfigFiles.otherThanExceptionRegister(loaded)).containsExactly(files.at(14,
                "access_control.rules[1].policy: this policy needs a sign-in, but there is no portal section (nor"
                        + " users): every browser it applies to meets a sign-in it cannot complete (1 more asks for"
                        + " one too) (allowed: add portal, users and storage sections, or use bypass or deny)"));
    }

    @Test
    void aPolicySketchWithoutRoutesIsNotWarnedAboutSignIn() throws Exception {
        assertThat(files.load(MINIMAL + "access_control:\n  default_policy: two_factor\n").warnings()).isEmpty();
    }

    private String rules(String rules) {
        return MINIMAL + "access_control:\n  rules:\n" + rules;
    }

    @Test
    void notPolicy() {
        assertThat(files.onlyError(MINIMAL + "access_control:\n  default_policy: allow\n")).isEqualTo(files.at(5,
                "access_control.default_policy: 'allow' is not a policy"
                        + " (allowed: bypass, one_factor, two_factor, deny)"));
    }

    @Test
    void missingPolicy() {
        assertThat(files.onlyError(rules("    - hosts: [records.example.org]\n")))
                .isEqualTo(files.at(6, "access_control.rules[0].policy: missing (required)"));
    }

    @Test
    void notRuleId() {
        assertThat(files.onlyError(rules("    - id: LB health\n      policy: bypass\n"))).isEqualTo(files.at(6,
                "access_control.rules[0].id: 'LB health' is not a rule id (allowed: a-z, 0-9, _ and -)"));
    }

    @Test
    void duplicateRuleId() {
        assertThat(files.onlyError(rules("""
                    - id: health
                      paths: [/healthz]
                      policy: bypass
                    - id: health
                      paths: [/ready]
                      policy: bypass
                """))).isEqualTo(files.at(9,
                "access_control.rules[1].id: 'health' is already used by access_control.rules[0]"));
    }

    @Test
    void notRulePath() {
        assertThat(files.onlyError(rules("    - paths: [/api/v*/status]\n      policy: deny\n"))).isEqualTo(
                files.at(6, "access_control.rules[0].paths[0]: '/api/v*/status' is not a rule path"
                        + " (allowed: starts with '/', a segment may be * or **,"
                        + " no '..', '//', '%', '?', '#', ';', '\\', spaces or control characters)"));
    }

    @Test
    void notMethod() {
        assertThat(files.onlyError(rules("    - methods: [GET, 'PUT /']\n      policy: deny\n"))).isEqualTo(
                files.at(6, "access_control.rules[0].methods[1]: 'PUT /' is not an HTTP method"
                        + " (allowed: a token such as GET or POST)"));
    }

    @Test
    void unknownNetwork() {
        assertThat(files.onlyError(MINIMAL + """
                networks:
                  trust_lan: [10.20.0.0/16]
                access_control:
                  rules:
                    - networks: [trust_wan]
                      policy: one_factor
                """)).isEqualTo(files.at(8, "access_control.rules[0].networks[0]: 'trust_wan' is neither a"
                + " network name nor a CIDR (allowed: a CIDR or a name under networks: trust_lan)"));
    }

    @Test
    void unknownNetworkWithoutNetworks() {
        assertThat(files.onlyError(rules("    - networks: [lan]\n      policy: one_factor\n"))).isEqualTo(
                files.at(6, "access_control.rules[0].networks[0]: 'lan' is neither a network name nor a CIDR"
                        + " (allowed: a CIDR or a name under networks: no networks are defined)"));
    }

    @Test
    void badCidrInRule() {
        assertThat(files.onlyError(rules("    - networks: ['2001:db8::/129']\n      policy: one_factor\n")))
                .isEqualTo(files.at(6, "access_control.rules[0].networks[0]: '2001:db8::/129' is not a CIDR:"
                        + " prefix length must be a number from 0 to 128"));
    }

    @Test
    void notSubject() {
        assertThat(files.onlyError(rules("    - subjects: [[group:x, alice]]\n      policy: one_factor\n")))
                .isEqualTo(files.at(6, "access_control.rules[0].subjects[0][1]: 'alice' is not a subject"
                        + " (allowed: user:NAME or group:NAME)"));
    }

    @Test
    void subjectsOnBypassRule() {
        assertThat(files.onlyError(rules("    - subjects: [user:alice]\n      policy: bypass\n"))).isEqualTo(
                files.at(6, "access_control.rules[0].subjects: not allowed with policy bypass"
                        + " (bypass lets everyone through without identifying them)"));
    }

    @Test
    void notFactor() {
        assertThat(files.onlyError(rules("    - policy: two_factor\n      factors: [sms]\n"))).isEqualTo(
                files.at(7, "access_control.rules[0].factors[0]: 'sms' is not a second factor"
                        + " (allowed: totp, webauthn)"));
    }

    @Test
    void factorsWithoutTwoFactor() {
        assertThat(files.onlyError(rules("    - policy: one_factor\n      factors: [totp]\n"))).isEqualTo(
                files.at(7, "access_control.rules[0].factors: only allowed with policy two_factor"
                        + " (policy is one_factor)"));
    }

    @Test
    void maxFactorAgeWithoutTwoFactor() {
        assertThat(files.onlyError(rules("    - policy: deny\n      max_factor_age: 15m\n"))).isEqualTo(
                files.at(7, "access_control.rules[0].max_factor_age: only allowed with policy two_factor"
                        + " (policy is deny)"));
    }

    @Test
    void shadowedRuleIsAWarning() throws Exception {
        LoadedConfig loaded = files.load(rules("""
                    - id: whole-host
                      hosts: ['*.example.org']
                      policy: one_factor
                    - hosts: [records.example.org]
                      paths: [/admin/**]
                      methods: [GET]
                      policy: two_factor
                """));
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(files.at(9,
                "access_control.rules[1]: rule #2 can never match: rule 'whole-host' (access_control.rules[0])"
                        + " comes first and matches every request it would"));
    }

    @Test
    void warningsTravelWithErrors() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> files.load(rules("""
                    - policy: one_factor
                    - id: admin
                      paths: [/admin/**]
                      policy: two_factor
                """) + "limits:\n  max_headers: many\n"));
        assertThat(e.errors()).map(ConfigProblem::toString).containsExactly(files.at(11,
                "limits.max_headers: 'many' is not a positive integer (allowed: 1 to 2147483647)"));
        assertThat(e.warnings()).map(ConfigProblem::toString).containsExactly(files.at(7,
                "access_control.rules[1]: rule 'admin' can never match: rule #1 (access_control.rules[0])"
                        + " comes first and matches every request it would"));
    }

    // --- storage, sessions, users, lockout ---------------------------------------------------------------------

    /** 32 zero bytes as base64: a well-formed key for the tests that are about something else. */
    static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @Test
    void storageDataDirWithoutParent() {
        assertThat(files.onlyError(MINIMAL + "storage:\n  data_dir: no/such/dir\n  encryption_key: " + KEY + "\n"))
                .isEqualTo(files.at(5, "storage.data_dir: 'no/such/dir' is not a usable data directory (no such parent"
                        + " directory; allowed: an existing directory, or a new one whose parent exists)"));
    }

    @Test
    void storageDataDirIsAFile() {
        files.write("state", "not a directory");
        assertThat(files.onlyError(MINIMAL + "storage:\n  data_dir: state\n  encryption_key: " + KEY + "\n"))
                .isEqualTo(files.at(5, "storage.data_dir: 'state' is not a usable data directory (not a directory;"
                        + " allowed: an existing directory, or a new one whose parent exists)"));
    }

    @Test
    void storageKeyIsTooShortAndNeverShown() {
        String shortKey = "c2VjcmV0LWtleS12YWx1ZQ=="; // 16 bytes
        String error = files.onlyError(MINIMAL + "storage:\n  data_dir: .\n  encryption_key: " + shortKey + "\n");
        assertThat(error).isEqualTo(files.at(6, "storage.encryption_key: (redacted, 24 chars) is not a 32-byte key"
                + " (allowed: 32 random bytes as base64, base64url or 64 hex digits)"));
        assertThat(error).doesNotContain(shortKey);
    }

    @ParameterizedTest
    @CsvSource({
            "not base64 at all!!, 19",
            "0000000000000000000000000000000000000000000000000000000000000g00, 64",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=, 48",
    })
    void storageKeyInOtherWrongShapes(String key, int length) {
        assertThat(files.onlyError(MINIMAL + "storage:\n  data_dir: .\n  encryption_key: '" + key + "'\n"))
                .isEqualTo(files.at(6, "storage.encryption_key: (redacted, " + length + " chars) is not a 32-byte"
                        + " key (allowed: 32 random bytes as base64, base64url or 64 hex digits)"));
    }

    @Test
    void storageNeedsBothKeys() {
        assertThat(files.errors(MINIMAL + "storage:\n  data_dir: .\n")).containsExactly(
                files.at(4, "storage.encryption_key: missing (required)"));
        assertThat(files.errors(MINIMAL + "storage:\n  encryption_key: " + KEY + "\n")).containsExactly(
                files.at(4, "storage.data_dir: missing (required)"));
    }

    @Test
    void storageUnknownKeyGetsAHint() {
        assertThat(files.errors(MINIMAL + "storage:\n  data_dir: .\n  encryption_key: " + KEY
                + "\n  datadir: x\n")).containsExactly(
                files.at(7, "storage.datadir: unknown key (did you mean 'data_dir'?)"));
    }

    @Test
    void idleTimeoutLongerThanAbsolute() {
        assertThat(files.onlyError(MINIMAL + "sessions:\n  idle_timeout: 1d\n  absolute_timeout: 720m\n"))
                .isEqualTo(files.at(5, "sessions.idle_timeout: idle_timeout (1d) is longer than absolute_timeout"
                        + " (12h) (allowed: at most absolute_timeout)"));
    }

    @Test
    void absoluteTimeoutShorterThanTheDefaultIdle() {
        assertThat(files.onlyError(MINIMAL + "sessions:\n  absolute_timeout: 10m\n"))
                .isEqualTo(files.at(5, "sessions.absolute_timeout: idle_timeout (30m) is longer than absolute_timeout"
                        + " (10m) (allowed: at most absolute_timeout)"));
    }

    @Test
    void usersFileMissing() {
        assertThat(files.onlyError(MINIMAL + "users:\n  file: users.yaml\n")).isEqualTo(files.at(5,
                "users.file: 'users.yaml' is not a readable file (no such file)"));
    }

    @Test
    void consecutiveFailuresAboveOneHundred() {
        assertThat(files.onlyError(MINIMAL + "lockout:\n  max_consecutive_failures: 101\n")).isEqualTo(files.at(5,
                "lockout.max_consecutive_failures: '101' is out of range (allowed: 1 to 100)"));
    }

    @Test
    void addressFailuresAboveTheStoreCap() {
        assertThat(files.onlyError(MINIMAL + "lockout:\n  address_max_failures: 1001\n")).isEqualTo(files.at(5,
                "lockout.address_max_failures: '1001' is out of range (allowed: 1 to 1000)"));
    }

    @Test
    void windowLimitAboveTheConsecutiveCap() {
        assertThat(files.onlyError(MINIMAL + "lockout:\n  max_failures: 10\n  max_consecutive_failures: 8\n"))
                .isEqualTo(files.at(5, "lockout.max_failures: max_failures (10) is more than max_consecutive_failures"
                        + " (8) (allowed: at most max_consecutive_failures)"));
    }

    @Test
    void lockoutUnknownKeyGetsAHint() {
        assertThat(files.onlyError(MINIMAL + "lockout:\n  lock_four: 10m\n")).isEqualTo(files.at(5,
                "lockout.lock_four: unknown key (did you mean 'lock_for'?)"));
    }

    // --- enrolment ---------------------------------------------------------------------------------------------

    @Test
    void enrolmentNeedsInvitationsByDefault() throws Exception {
        assertThat(files.load(MINIMAL).config().enrolment().allowFirstFactorOnly()).isFalse();
        LoadedConfig explicit = files.load(MINIMAL + "enrolment:\n  allow_first_factor_only: false\n");
        assertThat(explicit.config().enrolment().allowFirstFactorOnly()).isFalse();
        assertThat(explicit.warnings()).isEmpty();
    }

    @Test
    void enrolmentWithThePasswordAloneIsAllowedWithAWarning() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "enrolment:\n  allow_first_factor_only: true\n");
        assertThat(loaded.config().enrolment().allowFirstFactorOnly()).isTrue();
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(files.at(5,
                "enrolment.allow_first_factor_only: true lets a password alone enrol a second factor (a stolen"
                        + " password becomes a stolen account); only for closed test environments"));
    }

    @Test
    void enrolmentFlagMustBeABoolean() {
        assertThat(files.onlyError(MINIMAL + "enrolment:\n  allow_first_factor_only: yes\n")).isEqualTo(files.at(5,
                "enrolment.allow_first_factor_only: 'yes' is not a boolean (allowed: true, false)"));
    }

    @Test
    void enrolmentUnknownKeyNamesTheAllowedOne() {
        assertThat(files.onlyError(MINIMAL + "enrolment:\n  allow_first_factor: true\n")).isEqualTo(files.at(5,
                "enrolment.allow_first_factor: unknown key (allowed: allow_first_factor_only)"));
    }

    @Test
    void enrolmentMustBeAMapping() {
        assertThat(files.onlyError(MINIMAL + "enrolment: true\n")).isEqualTo(files.at(4,
                "enrolment: must be a mapping, not a boolean"));
    }

    // --- totp --------------------------------------------------------------------------------------------------

    @Test
    void totpDefaultsAreWhatEveryCommonAppExpects() throws Exception {
        TotpConfig defaults = files.load(MINIMAL).config().totp();
        assertThat(defaults).isEqualTo(new TotpConfig(TotpConfig.Algorithm.SHA1, 6, java.time.Duration.ofSeconds(30),
                1));
        assertThat(files.load(MINIMAL + "totp:\n  digits: 6\n").config().totp()).isEqualTo(defaults);
    }

    @Test
    void totpTakesEveryAllowedValue() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "totp:\n  algorithm: SHA512\n  digits: 8\n  period: 2m\n"
                + "  window: 0\n");
        assertThat(loaded.config().totp()).isEqualTo(new TotpConfig(TotpConfig.Algorithm.SHA512, 8,
                java.time.Duration.ofSeconds(120), 0));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(files.load(MINIMAL + "totp:\n  algorithm: SHA256\n  period: 15s\n").config().totp())
                .isEqualTo(new TotpConfig(TotpConfig.Algorithm.SHA256, 6, java.time.Duration.ofSeconds(15), 1));
    }

    @Test
    void totpAlgorithmMustBeOneOfRfc6238s() {
        assertThat(files.onlyError(MINIMAL + "totp:\n  algorithm: MD5\n")).isEqualTo(files.at(5,
                "totp.algorithm: 'MD5' is not a TOTP algorithm (allowed: SHA1, SHA256, SHA512)"));
        assertThat(files.onlyError(MINIMAL + "totp:\n  algorithm: sha-256\n")).isEqualTo(files.at(5,
                "totp.algorithm: 'sha-256' is not a TOTP algorithm (allowed: SHA1, SHA256, SHA512)"));
    }

    @Test
    void totpDigitsAreSixOrEight() {
        assertThat(files.onlyError(MINIMAL + "totp:\n  digits: 7\n")).isEqualTo(files.at(5,
                "totp.digits: '7' is not a number of TOTP digits (allowed: 6, 8)"));
    }

    @Test
    void totpPeriodIsWholeSecondsFromFifteenToOneHundredTwenty() {
        String message = " is not a TOTP period (allowed: whole seconds from 15s to 120s, e.g. 30s)";
        assertThat(files.onlyError(MINIMAL + "totp:\n  period: 10s\n"))
                .isEqualTo(files.at(5, "totp.period: '10s'" + message));
        assertThat(files.onlyError(MINIMAL + "totp:\n  period: 121s\n"))
                .isEqualTo(files.at(5, "totp.period: '121s'" + message));
        assertThat(files.onlyError(MINIMAL + "totp:\n  period: 30500ms\n"))
                .isEqualTo(files.at(5, "totp.period: '30500ms'" + message));
        assertThat(files.onlyError(MINIMAL + "totp:\n  period: 30\n")).isEqualTo(files.at(5,
                "totp.period: '30' is not a duration (allowed: a positive whole number with ms, s, m, h or d, e.g."
                        + " 10s)"));
    }

    @Test
    void totpWindowIsAtMostOneStep() {
        assertThat(files.onlyError(MINIMAL + "totp:\n  window: 2\n")).isEqualTo(files.at(5,
                "totp.window: '2' is not a TOTP window (allowed: 0, 1 steps either side of the current one)"));
    }

    @Test
    void totpReportsEveryWrongKeyAtOnce() {
        assertThat(files.errors(MINIMAL + "totp:\n  algorithm: SHA3\n  digits: 10\n  period: 5s\n  window: -1\n"
                + "  skew: 1\n")).containsExactly(
                files.at(5, "totp.algorithm: 'SHA3' is not a TOTP algorithm (allowed: SHA1, SHA256, SHA512)"),
                files.at(6, "totp.digits: '10' is not a number of TOTP digits (allowed: 6, 8)"),
                files.at(7, "totp.period: '5s' is not a TOTP period (allowed: whole seconds from 15s to 120s, e.g."
                        + " 30s)"),
                files.at(8, "totp.window: '-1' is not a TOTP window (allowed: 0, 1 steps either side of the current"
                        + " one)"),
                files.at(9, "totp.skew: unknown key (allowed: algorithm, digits, period, window)"));
    }

    @Test
    void totpMustBeAMapping() {
        assertThat(files.onlyError(MINIMAL + "totp: SHA1\n")).isEqualTo(files.at(4,
                "totp: must be a mapping, not a string"));
    }
}
