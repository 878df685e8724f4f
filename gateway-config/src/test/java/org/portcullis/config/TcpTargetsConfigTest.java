package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code tcp_targets} and {@code ssh} sections (issue 17): the records they build, and each refusal. */
class TcpTargetsConfigTest {
    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir).withSuffix(PortalConfigTest.SIGN_IN);
        files.write("users.yaml", "users: []\n");
    }

    @Test
    void targetsAndJumpHostWithDefaults() throws Exception {
        GatewayConfig config = files.load(MINIMAL + """
                tcp_targets:
                  - name: db01
                    address: DB01.internal:22
                    groups: [admins]
                    subjects: [user:alice]
                    idle_timeout: 15m
                  - name: reporting
                    address: "[2001:db8::5]:5432"
                    subjects: [group:analysts]
                    policy: two_factor
                    factors: [totp]
                    max_duration: 1h
                ssh:
                  address: 0.0.0.0:2222
                """).config();
        TcpTargetConfig db01 = config.tcpTargets().get(0);
        assertThat(db01.address()).isEqualTo(new HostPort("db01.internal", 22));
        assertThat(db01.maxDuration()).isEqualTo(Duration.ofHours(8));
        assertThat(db01.idleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(db01.allows("ALICE", Set.of())).isTrue();
        assertThat(db01.allows("bob", Set.of("Admins"))).isTrue();
        assertThat(db01.allows("bob", Set.of("clinicians"))).isFalse();
        assertThat(db01.accepts(SecondFactor.WEBAUTHN)).isTrue();
        TcpTargetConfig reporting = config.tcpTargets().get(1);
        assertThat(reporting.accepts(SecondFactor.WEBAUTHN)).isFalse();
        assertThat(reporting.maxDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(reporting.idleTimeout()).isNull();
        assertThat(TcpTargetConfig.find(config.tcpTargets(), "db01.INTERNAL", 22)).isSameAs(db01);
        assertThat(TcpTargetConfig.find(config.tcpTargets(), "db01", 2222)).isSameAs(db01);
        assertThat(TcpTargetConfig.find(config.tcpTargets(), "[2001:db8::5]", 5432)).isSameAs(reporting);
        assertThat(TcpTargetConfig.find(config.tcpTargets(), "db01.internal", 23)).isNull();
        assertThat(TcpTargetConfig.find(config.tcpTargets(), "10.0.0.9", 22)).isNull();
        assertThat(config.ssh().address()).isEqualTo(new HostPort("0.0.0.0", 2222));
        assertThat(config.ssh().hostKeyAlgorithm()).isEqualTo(SshConfig.HostKeyAlgorithm.ED25519);
        assertThat(config.ssh().loginTimeout()).isEqualTo(Duration.ofMinutes(2));
        GatewayConfig without = files.load(MINIMAL).config();
        assertThat(without.tcpTargets()).isEmpty();
        assertThat(without.ssh()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"one_factor", "bypass", "deny", "two-factor"})
    void aWeakerPolicyThanTwoFactorIsRefused(String weak) {
        assertThat(files.onlyError(MINIMAL + """
                tcp_targets:
                  - name: db01
                    address: 10.0.0.5:22
                    groups: [admins]
                    policy: %s
                """.formatted(weak))).isEqualTo(files.at(8, "tcp_targets[0].policy: '" + weak
                + "' is too weak for a TCP target (allowed: two_factor; a TCP target always needs two factors)"));
    }

    @Test
    void nobodyAllowedBadAddressAndBadKeysAreRefused() {
        assertThat(files.errors(MINIMAL + """
                tcp_targets:
                  - name: DB 01
                    address: 10.0.0.5
                    factors: [sms]
                    max_duration: 1h
                    idle_timeout: 2h
                    groups: [admins]
                    subject: [user:alice]
                  - name: web
                    address: 10.0.0.6:0
                    subjects: [alice]
                """)).containsExactly(
                files.at(5, "tcp_targets[0].name: 'DB 01' is not a TCP target name (allowed: a-z, 0-9, _ and -)"),
                files.at(6, "tcp_targets[0].address: '10.0.0.5' is not the address of a TCP target (allowed:"
                        + " HOST:PORT, e.g. db01.internal:22)"),
                files.at(7, "tcp_targets[0].factors[0]: 'sms' is not a second factor (allowed: totp, webauthn)"),
                files.at(9, "tcp_targets[0].idle_timeout: idle_timeout (2h) is longer than max_duration (1h)"
                        + " (allowed: at most max_duration)"),
                files.at(11, "tcp_targets[0].subject: unknown key (did you mean 'subjects'?)"),
                files.at(13, "tcp_targets[1].address: '10.0.0.6:0' is not the address of a TCP target (allowed:"
                        + " HOST:PORT, e.g. db01.internal:22)"),
                files.at(14, "tcp_targets[1].subjects[0]: 'alice' is not a subject (allowed: user:NAME or group:NAME)"));
    }

    @Test
    void aTargetWithoutSubjectsIsRefused() {
        assertThat(files.onlyError(MINIMAL + """
                tcp_targets:
                  - name: db01
                    address: 10.0.0.5:22
                """)).isEqualTo(files.at(5, "tcp_targets[0]: a TCP target needs 'subjects' or 'groups' (who may"
                + " reach it; nobody by default)"));
    }

    @Test
    void duplicateNamesAndAddressesAreRefused() {
        assertThat(files.errors(MINIMAL + """
                tcp_targets:
                  - {name: a, address: "h:22", groups: [g]}
                  - {name: a, address: "H:22", groups: [g]}
                """)).containsExactly(
                files.at(6, "tcp_targets[1].name: 'a' is already used by tcp_targets[0].name"),
                files.at(6, "tcp_targets[1].address: 'h:22' is already used by tcp_targets[0].address"));
    }

    @Test
    void sshNeedsTargetsStorageAndUsers() {
        ConfigFiles bare = new ConfigFiles(dir);
        assertThat(bare.errors(MINIMAL + "ssh:\n  address: 127.0.0.1:2222\n")).containsExactly(
                bare.at(4, "ssh: ssh needs a 'storage' section (allowed: add storage, or remove ssh)"),
                bare.at(4, "ssh: ssh needs a 'users' section (allowed: add users, or remove ssh)"),
                bare.at(4, "ssh: ssh needs a 'tcp_targets' section (allowed: add tcp_targets, or remove ssh)"));
        assertThat(bare.errors(MINIMAL + "tcp_targets:\n  - {name: a, address: \"h:22\", groups: [g]}\n"))
                .containsExactly(
                        bare.at(4, "tcp_targets: tcp_targets needs a 'storage' section (allowed: add storage, or"
                                + " remove tcp_targets)"),
                        bare.at(4, "tcp_targets: tcp_targets needs a 'users' section (allowed: add users, or remove"
                                + " tcp_targets)"));
    }

    @Test
    void theDeviceCodeSignInIsOffUnlessTurnedOn() throws Exception {
        assertThat(files.load(MINIMAL).config().connect().deviceCode()).isFalse();
        String sections = "portal:\n  url: https://login.example.org\ntcp_targets:\n  - {name: a, address: \"h:22\","
                + " groups: [g]}\n";
        assertThat(files.load(MINIMAL + sections + "connect:\n  device_code: false\n").config().connect()
                .deviceCode()).isFalse();
        assertThat(files.load(MINIMAL + sections + "connect:\n  device_code: true\n").config().connect()
                .deviceCode()).isTrue();
    }

    @Test
    void badConnectKeysAndMissingSectionsAreRefused() {
        assertThat(files.errors(MINIMAL + "portal:\n  url: https://login.example.org\ntcp_targets:\n  - {name: a,"
                + " address: \"h:22\", groups: [g]}\nconnect:\n  device_code: maybe\n  polling: fast\n"))
                .containsExactly(
                        files.at(9, "connect.device_code: 'maybe' is not a boolean (allowed: true, false)"),
                        files.at(10, "connect.polling: unknown key (allowed: device_code)"));
        assertThat(files.errors(MINIMAL + "connect:\n  device_code: true\n")).containsExactly(
                files.at(4, "connect: connect needs a 'portal' section (allowed: add portal, or remove connect)"),
                files.at(4, "connect: connect needs a 'tcp_targets' section (allowed: add tcp_targets, or remove"
                        + " connect)"));
    }

    @Test
    void badSshKeysAreRefused() {
        assertThat(files.errors(MINIMAL + """
                tcp_targets:
                  - {name: a, address: "h:22", groups: [g]}
                ssh:
                  address: ssh.example.org:22
                  host_key_algorithm: dsa
                  login_timeout: 5s
                  banner: hello
                """)).containsExactly(
                files.at(7, "ssh.address: 'ssh.example.org:22' is not a listen address (allowed: IPv4:PORT,"
                        + " [IPv6]:PORT or localhost:PORT, port 0 to 65535, e.g. 0.0.0.0:8443)"),
                files.at(8, "ssh.host_key_algorithm: 'dsa' is not a host key algorithm (allowed: ed25519,"
                        + " ecdsa-p256, rsa-3072)"),
                files.at(9, "ssh.login_timeout: '5s' is out of range (allowed: 10s to 10m)"),
                files.at(10, "ssh.banner: unknown key (allowed: address, host_key_algorithm, login_timeout)"));
        assertThat(files.onlyError(MINIMAL + """
                tcp_targets:
                  - {name: a, address: "h:22", groups: [g]}
                ssh:
                  host_key_algorithm: rsa-3072
                """)).isEqualTo(files.at(6, "ssh.address: missing (required)"));
    }
}
