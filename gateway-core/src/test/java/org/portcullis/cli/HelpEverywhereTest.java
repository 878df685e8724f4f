package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} (and {@code -h}) on every command and sub-command of the real command tree prints that command's
 * usage on stdout, nothing on stderr, and exits 0. The commands are walked from {@link PortcullisMain#commandLine()},
 * so a command added later is covered without touching this test.
 */
class HelpEverywhereTest {

    /** Every command path, e.g. {@code [users, webauthn, enable]}, the root as {@code []}. */
    static Stream<List<String>> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        walk(PortcullisMain.commandLine(), new ArrayList<>(), paths);
        return paths.stream();
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length > 0 && !name.equals(sub.getCommandName())) {
                return; // an alias, walked under its own name
            }
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            walk(sub, deeper, paths);
        });
    }

    @ParameterizedTest(name = "portcullis {0} --help")
    @MethodSource("everyCommand")
    void helpPrintsTheUsageOnStdoutAndExitsZero(List<String> path) {
        for (String flag : List.of("--help", "-h")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = PortcullisMain.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            List<String> args = new ArrayList<>(path);
            args.add(flag);

            int exit = cli.execute(args.toArray(String[]::new));

            String usage = "Usage: portcullis" + (path.isEmpty() ? "" : " " + String.join(" ", path));
            assertThat(exit).as("exit of %s; stderr: %s", args, err).isZero();
            assertThat(out.toString()).as("%s", args).contains(usage).contains(flag.equals("-h") ? "-h" : "--help");
            assertThat(err.toString()).as("%s", args).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theWalkFindsTheNestedCommands() {
        assertThat(everyCommand().map(p -> String.join(" ", p))).contains("", "config validate", "run", "demo",
                "users add", "users list", "users passwd", "users disable", "users webauthn enable",
                "audit query", "sessions revoke", "storage rotate-key", "policy check");
    }
}
