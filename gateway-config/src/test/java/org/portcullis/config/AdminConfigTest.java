package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code server.admin} and {@code server.shutdown_grace} (issue 19): the admin listener is never on a public
 * listener's address and port, is loopback by default, and warns when it is not.
 */
class AdminConfigTest {
    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    @Test
    void noAdminListenerUnlessConfiguredAndThirtySecondsOfGrace() throws Exception {
        ServerConfig server = files.load(MINIMAL).config().server();
        assertThat(server.admin()).isNull();
        assertThat(server.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void adminDefaultsToLoopback() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "  admin: {}\n  shutdown_grace: 5s\n");
        assertThat(loaded.config().server().admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9464)));
        assertThat(loaded.config().server().shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(loaded.warnings()).isEmpty();
    }

    static Stream<Arguments> publicListenerAddresses() {
        return Stream.of(
                // 1: exactly the listener's address and port
                Arguments.of("127.0.0.1:8080", "127.0.0.1:8080"),
                // 2: the wildcard on the admin side covers the listener's port on every address
                Arguments.of("127.0.0.1:8080", "0.0.0.0:8080"),
                // 3: the listener listens on every address, the admin on one of them
                Arguments.of("0.0.0.0:8443", "192.0.2.10:8443"),
                // 4: IPv6 wildcard
                Arguments.of("[::]:8443", "127.0.0.1:8443"),
                // 5: localhost is 127.0.0.1
                Arguments.of("127.0.0.1:8080", "localhost:8080"));
    }

    @ParameterizedTest
    @MethodSource("publicListenerAddresses")
    void refusedOnAPublicListenersAddressAndPort(String listener, String admin) {
        String yaml = "server:\n  listeners:\n    - address: \"" + listener + "\"\n      allow_plain_http: true\n"
                + "  admin:\n    address: " + admin + "\n";
        assertThat(files.onlyError(yaml)).isEqualTo(files.at(6, "server.admin.address: the admin listener '"
                + admin + "' shares its address and port with server.listeners[0] (allowed: a loopback or"
                + " management address on a port of its own, e.g. 127.0.0.1:9464): metrics and health answer"
                + " without authentication and never go on a public listener"));
    }

    @Test
    void aPortOfItsOwnOnTheSameAddressIsFine() throws Exception {
        assertThat(files.load(MINIMAL + "  admin:\n    address: 127.0.0.1:9464\n").config().server().admin()
                .address()).isEqualTo(new HostPort("127.0.0.1", 9464));
    }

    @Test
    void warnsWhenNotOnLoopback() throws Exception {
        LoadedConfig loaded = files.load(MINIMAL + "  admin:\n    address: 10.0.0.5:9464\n");
        assertThat(loaded.warnings()).map(ConfigProblem::toString).containsExactly(files.at(5,
                "server.admin.address: the admin listener '10.0.0.5:9464' is not on loopback: whoever reaches that"
                        + " network can read the metrics and health (no user names, addresses or secrets); use it on"
                        + " a management network only"));
    }

    @Test
    void badAddressUnknownKeyAndGraceOutOfRange() {
        assertThat(files.onlyError(MINIMAL + "  admin:\n    address: metrics.example:9464\n")).isEqualTo(files.at(5,
                "server.admin.address: 'metrics.example:9464' is not a listen address (allowed: IPv4:PORT, [IPv6]:PORT"
                        + " or localhost:PORT, port 0 to 65535, e.g. 0.0.0.0:8443)"));
        assertThat(files.onlyError(MINIMAL + "  admin:\n    port: 9464\n")).isEqualTo(files.at(5,
                "server.admin.port: unknown key (allowed: address)"));
        assertThat(files.onlyError(MINIMAL + "  shutdown_grace: 2h\n")).isEqualTo(files.at(4,
                "server.shutdown_grace: '2h' is out of range (allowed: 0s to 1h)"));
    }
}
