package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.directory.SlapdRequirement;
import org.portcullis.fixtures.RawResponse;

/**
 * How the gateway reaches the directory (issue 19 §1): ldaps and StartTLS with the certificate checked (chain and
 * name), failover past a dead server, and plain LDAP on loopback. A certificate for another name, or from a CA the
 * gateway was not told to trust, is refused: the sign-in fails closed with 503 and no password is sent.
 */
@ExtendWith(SlapdRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapTransportTest {
    LdapDirectory directory;
    Path dir;
    int deadPort;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        directory = LdapDirectory.start(dir);
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // closed again: nothing listens there
        }
    }

    @AfterAll
    void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("ldaps, CA file, the certificate's name", true),
                Arguments.of("StartTLS, CA file, the certificate's name", true),
                Arguments.of("failover past a dead first server", true),
                Arguments.of("plain ldap on loopback", true),
                Arguments.of("ldaps to a name the certificate does not hold", false),
                Arguments.of("StartTLS to a name the certificate does not hold", false),
                Arguments.of("ldaps with a CA the gateway does not trust", false));
    }

    private String transport(String name) {
        var slapd = directory.slapd;
        String ca = "ca_file: " + slapd.caCertificatePem() + "\n";
        return switch (name) {
            case "ldaps, CA file, the certificate's name" -> "urls: [" + slapd.ldapsUrl() + "]\n" + ca;
            case "StartTLS, CA file, the certificate's name" -> "urls: [ldap://localhost:" + slapd.ldapPort()
                    + "]\nstart_tls: true\n" + ca;
            case "failover past a dead first server" -> "urls: [ldaps://localhost:" + deadPort + ", "
                    + slapd.ldapsUrl() + "]\n" + ca;
            case "plain ldap on loopback" -> "urls: [" + slapd.ldapUrl() + "]\n";
            case "ldaps to a name the certificate does not hold" -> "urls: [" + slapd.ldapsUrlWithWrongName()
                    + "]\n" + ca;
            case "StartTLS to a name the certificate does not hold" -> "urls: [" + slapd.ldapUrlWithWrongName()
                    + "]\nstart_tls: true\n" + ca;
            case "ldaps with a CA the gateway does not trust" -> "urls: [" + slapd.ldapsUrl() + "]\n";
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void signInOverTheDirectoryTransport(String name, boolean signsIn) throws Exception {
        Path gatewayDir = dir.resolve("gateway-" + name.replaceAll("[^a-z]", ""));
        try (SignInGateway gateway = SignInGateway.startWithUsers(gatewayDir, Clock.systemUTC(), SignInGateway.POLICY,
                "", directory.usersYaml(transport(name), ""))) {
            String rd = "https://app.test:" + gateway.port + "/x";
            int from = gateway.auditLines().size();

            RawResponse answer = gateway.postLogin(gateway.loginForm(rd), "dave", LdapDirectory.DAVE_PASSWORD, rd,
                    "");

            if (signsIn) {
                assertThat(answer.status()).as(answer.bodyText()).isEqualTo(303);
                assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNotNull();
            } else {
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.bodyText()).contains("Sign-in is unavailable, try again shortly.");
                assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNull();
                assertThat(gateway.awaitAuditLine(from, "directory_unavailable"))
                        .anyMatch(line -> line.contains("directory_unavailable"));
            }
        }
    }
}
