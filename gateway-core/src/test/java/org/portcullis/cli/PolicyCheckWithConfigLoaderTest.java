package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import picocli.CommandLine;

/**
 * The simulator end to end with the real {@link ConfigLoader} and the policy from the issue as YAML.
 */
class PolicyCheckWithConfigLoaderTest {

    static final String YAML = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            routes:
              - name: records
                host: "*.example.org"
                upstream: http://127.0.0.1:9000
            networks:
              trust_lan: [10.20.0.0/16, 2001:db8::/32]
              lb_health: [10.0.0.5/32]
            access_control:
              default_policy: deny
              rules:
                - id: lb-health
                  hosts: [records.example.org]
                  paths: [/healthz]
                  networks: [lb_health]
                  policy: bypass
                - hosts: ["*.example.org"]
                  paths: [/admin/**]
                  subjects: [[group:it-admins]]
                  policy: two_factor
                  factors: [webauthn]
                  max_factor_age: 15m
                - hosts: [records.example.org]
                  methods: [DELETE]
                  subjects: [[group:clinicians], [user:alice]]
                  policy: two_factor
                - hosts: ["*.example.org"]
                  policy: two_factor
            """;

    @TempDir
    Path dir;

    Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("portcullis.yaml");
        Files.writeString(config, YAML);
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new PolicyCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    void decidesTheIssueExampleFromYaml() {
        Run run = run("check", "--config", config.toString(), "--url", "https://admin.example.org/admin/x",
                "--user", "bob", "--groups", "it-admins", "--factors", "password,webauthn", "--factor-age", "20m");

        assertThat(run.err().lines().filter(l -> !l.contains("names no exception")))
                .as("only the warning that this sketch has no portal (and its bypass rule's missing exception)")
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("warning: ").contains("no portal section"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(String.join("\n",
                "route:    records",
                "decision: challenge (second factor: webauthn, younger than 15m)",
                "rule:     rule #2",
                "  lb-health   skipped: hosts: records.example.org does not match admin.example.org",
                "  rule #2     MATCHED",
                "strength: best (two factors: webauthn, phishing-resistant)",
                ""));
    }

    @Test
    void theLoadBalancerHealthCheckBypassesFromYaml() {
        Run run = run("check", "--config", config.toString(), "--url", "https://records.example.org/healthz",
                "--ip", "10.0.0.5");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("route:    records\ndecision: allow (bypass: no sign-in, no identity passed on)\n");
    }

    @Test
    void aBrokenConfigIsBadInputWithItsErrorsPrinted() throws IOException {
        Files.writeString(config, YAML.replace("policy: bypass", "policy: allow"));

        Run run = run("check", "--config", config.toString(), "--url", "https://records.example.org/healthz");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(config + ":").contains("policy").contains("error(s), see above");
    }

    @Test
    void aMissingConfigFileIsBadInput() {
        Run run = run("check", "--config", dir.resolve("absent.yaml").toString(), "--url", "https://x.example.org/");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    /** A Windows route as an admin writes it: {@code paths: case_insensitive}, read from the file (rule 22). */
    static final String WINDOWS_YAML = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            routes:
              - name: iis
                host: iis.example.org
                upstream: http://127.0.0.1:9000
                paths: case_insensitive
              - name: plain
                host: plain.example.org
                upstream: http://127.0.0.1:9000
            access_control:
              default_policy: bypass
              rules:
                - id: admin-closed
                  paths: [/admin]
                  policy: deny
                - id: admin-closed-again
                  paths: [/Admin]
                  policy: deny
            """;

    @Test
    void aCaseInsensitiveRouteFromYamlIsDecidedAsTheGatewayDecidesIt() throws IOException {
        Files.writeString(config, WINDOWS_YAML);

        Run upper = run("check", "--config", config.toString(), "--url", "https://iis.example.org/ADMIN/users");
        Run shortName = run("check", "--config", config.toString(), "--url", "https://iis.example.org/ADMINI~1/");
        Run plain = run("check", "--config", config.toString(), "--url", "https://plain.example.org/ADMIN/users");

        assertThat(upper.out()).startsWith("route:    iis (paths: case_insensitive)\n"
                + "decision: deny (denied_by_rule)\nrule:     admin-closed\n");
        assertThat(upper.exitCode()).isEqualTo(1);
        assertThat(shortName.out()).contains("decision: refuse with 400 (windows_path_alias)\n");
        assertThat(shortName.exitCode()).isEqualTo(1);
        assertThat(plain.out()).startsWith("route:    plain\ndecision: allow (bypass");
        assertThat(plain.exitCode()).isZero();
        // The rule that differs from an earlier one only by case is named, FILE:LINE first.
        assertThat(upper.err()).contains("warning: " + config + ":19: access_control.rules[1].paths[0]:"
                + " path '/Admin' differs from '/admin' (access_control.rules[0].paths[0]) only by case:"
                + " on route 'iis'");
    }
}
