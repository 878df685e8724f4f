package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code portcullis connect} checks every argument before it listens or signs in: each bad one is exit code 2 with a
 * message naming the option and what it must be (nothing is started, so these run without a gateway).
 */
class ConnectCommandTest {

    /** Each row: the arguments after {@code connect}, and the message the user sees. */
    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(new String[] {"db"}, "Missing required option: '--gateway=URL'"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org"},
                        "Missing required parameter: 'NAME'"),
                Arguments.of(new String[] {"--gateway", "http://login.example.org", "db"},
                        "--gateway: 'http://login.example.org' must be https://HOST[:PORT]"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org/portal", "db"},
                        "must be https://HOST[:PORT] with nothing after the host and port"),
                Arguments.of(new String[] {"--gateway", "https://user@login.example.org", "db"},
                        "must be https://HOST[:PORT]"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org?x=1", "db"},
                        "must be https://HOST[:PORT]"),
                Arguments.of(new String[] {"--gateway", "https://login example", "db"},
                        "--gateway: 'https://login example' is not a URL"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "DB01"},
                        "NAME: 'DB01' is not a service name (1 to 64 of a-z, 0-9, _ and -)"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db/../x"},
                        "NAME: 'db/../x' is not a service name"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--listen", "0.0.0.0:5432"},
                        "--listen: '0.0.0.0:5432' is not a loopback address"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--listen",
                    "192.168.1.5:5432"}, "is not a loopback address"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--listen",
                    "db.example.org:5432"}, "is not a loopback address"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--listen", "127.0.0.1"},
                        "--listen: '127.0.0.1' must be HOST:PORT with a port from 0 to 65535"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--listen",
                    "127.0.0.1:70000"}, "must be HOST:PORT with a port from 0 to 65535"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--ca-file",
                    "/nonexistent/ca.pem"}, "--ca-file: '/nonexistent/ca.pem' is not a readable file"),
                Arguments.of(new String[] {"--gateway", "https://login.example.org", "db", "--connect-to",
                    "bad host!"}, "--connect-to: 'bad host!' is not a host name or address"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void refusesABadArgumentWithExitCode2AndAMessage(String[] arguments, String message) {
        StringWriter err = new StringWriter();
        CommandLine cli = PortcullisMain.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[arguments.length + 1];
        full[0] = "connect";
        System.arraycopy(arguments, 0, full, 1, arguments.length);
        assertThat(cli.execute(full)).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }
}
