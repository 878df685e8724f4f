package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code portcullis config validate FILE} and the top-level command line, run in-process through
 * {@link PortcullisMain#commandLine()} exactly as {@code ./portcullis} runs them: exit codes, stdout and stderr.
 */
class ConfigValidateCommandTest {

    static final String GOOD = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            routes:
              - name: records
                host: records.example.org
                upstream: http://127.0.0.1:9000
            access_control:
              default_policy: deny
              rules:
                - id: records
                  hosts: [records.example.org]
                  policy: deny
            """;

    /** Four mistakes, one per line 2, 5, 9 and 11 (plus the listeners the typo leaves missing). */
    static final String BAD = """
            server:
              listners:
                - address: 127.0.0.1:8080
            limits:
              max_headers: 0
            routes:
              - name: records
                host: records.example.org
                upstream: ftp://10.1.2.3
            access_control:
              default_policy: allow
            """;

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PortcullisMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void validFileExitsZeroWithTheOkLine() throws Exception {
        Path file = write("portcullis.yaml", GOOD);

        Run run = run("config", "validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(file + ": OK (1 listener, 1 route, 1 access rule, 0 warnings)"
                + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void invalidFileExitsOneWithEveryErrorInTheDocumentedFormat() throws Exception {
        Path file = write("portcullis.yaml", BAD);

        Run run = run("config", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(
                file + ":1: server.listeners: missing (required)",
                file + ":2: server.listners: unknown key (did you mean 'listeners'?)",
                file + ":5: limits.max_headers: '0' is not a positive integer (allowed: 1 to 2147483647)",
                file + ":9: routes[0].upstream: 'ftp://10.1.2.3' is not an upstream URL: the scheme must be http or "
                        + "https (allowed: http://HOST[:PORT] or https://HOST[:PORT])",
                file + ":11: access_control.default_policy: 'allow' is not a policy (allowed: bypass, one_factor, "
                        + "two_factor, deny)",
                file + ": 5 errors");
    }

    @Test
    void aRuleNeedingASignInWithoutAPortalIsWarnedAboutWithFileAndLine() throws Exception {
        Path file = write("portcullis.yaml", GOOD.replace("      policy: deny", "      policy: two_factor"));

        Run run = run("config", "validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().lines()).containsExactly("warning: " + file + ":13: access_control.rules[0].policy:"
                + " this policy needs a sign-in, but there is no portal section (nor users): every browser it applies"
                + " to meets a sign-in it cannot complete (allowed: add portal, users and storage sections, or use"
                + " bypass or deny)");
        assertThat(run.out()).contains(": OK (1 listener, 1 route, 1 access rule, 1 warning)");
    }

    @Test
    void warningsArePrintedAndStillExitZero() throws Exception {
        Path file = write("portcullis.yaml", GOOD + """
                    - id: shadowed
                      hosts: [records.example.org]
                      paths: [/admin]
                      policy: deny
                """);

        Run run = run("config", "validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().lines()).containsExactly("warning: " + file + ":14: access_control.rules[1]: rule "
                + "'shadowed' can never match: rule 'records' (access_control.rules[0]) comes first and matches "
                + "every request it would");
        assertThat(run.out()).contains(": OK (1 listener, 1 route, 2 access rules, 1 warning)");
    }

    @Test
    void caseVariantRulePathsOnACaseInsensitiveRouteAreWarnings() throws Exception {
        Path file = write("portcullis.yaml", GOOD.replace("    upstream: http://127.0.0.1:9000\n",
                "    upstream: http://127.0.0.1:9000\n    paths: case_insensitive\n") + """
                    - id: admin
                      paths: [/Admin]
                      policy: deny
                    - id: admin-lower
                      paths: [/admin]
                      policy: deny
                """);

        Run run = run("config", "validate", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err().lines()).containsExactly(
                "warning: " + file + ":16: access_control.rules[1].paths[0]: path '/Admin' has upper-case letters,"
                        + " but every route it applies to (records) has paths: case_insensitive, where case never"
                        + " matters (write it in lower case)",
                "warning: " + file + ":19: access_control.rules[2].paths[0]: path '/admin' differs from '/Admin'"
                        + " (access_control.rules[1].paths[0]) only by case: on route 'records'"
                        + " (paths: case_insensitive) both match the same requests, and the earlier rule decides");
    }

    @Test
    void missingFileExitsOne() {
        Path file = dir.resolve("not-there.yaml");

        Run run = run("config", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly(file + ":0: (file): cannot read: no such file",
                file + ": 1 error");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpListsEveryCommand() {
        Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("run", "config", "policy", "demo", "Start the gateway.",
                "Run the gateway on localhost in front of a built-in demo app.");
    }

    @Test
    void unknownOptionExitsTwo() throws Exception {
        Path file = write("portcullis.yaml", GOOD);

        Run top = run("--frobnicate");
        Run validate = run("config", "validate", "--strict", file.toString());

        assertThat(top.exitCode()).isEqualTo(2);
        assertThat(top.err()).startsWith("portcullis: Unknown option: '--frobnicate'");
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).startsWith("portcullis: Unknown option: '--strict'");
        assertThat(validate.out()).as("nothing validated").isEmpty();
    }

    @Test
    void validateWithoutAFileExitsTwo() {
        Run run = run("config", "validate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'");
    }
}
