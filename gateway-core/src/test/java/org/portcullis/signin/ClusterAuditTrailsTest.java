package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.AuditCommand;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;
import picocli.CommandLine;

/**
 * Each node of a cluster keeps its own sealed audit trail, named by its node id ({@code audit.node_id}, written on
 * every line as {@code service.node.name}), and {@code audit verify --trail … --trail …} checks the trails of two real
 * nodes on one PostgreSQL store together: each chain on its own, one verdict per node, and a line edited in one node's
 * trail is named with its node, file and line while the other node's trail stays OK. Each node's end is noted in the
 * shared store under its own name, so {@code audit verify --config} of either node finds its own end.
 */
@Timeout(180)
class ClusterAuditTrailsTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run audit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void twoNodesTrailsAreVerifiedTogetherAndATamperedLineIsNamedWithItsNode(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
        Path trail1 = dir.resolve("node1").resolve("audit.jsonl");
        Path trail2 = dir.resolve("node2").resolve("audit.jsonl");
        Path config2 = dir.resolve("node2").resolve("portcullis.yaml");
        try (PostgresServer postgres = PostgresServer.startFresh()) {
            String storage = """
                      backend: postgresql
                      postgresql:
                        url: %s
                        user: %s
                        password: "%s"
                        ssl_mode: disable
                        pool_size: 4
                        connect_timeout: 2s
                        query_timeout: 2s
                    """.formatted(postgres.url(postgres.newDatabase()), PostgresServer.USER, PostgresServer.PASSWORD);
            // The audit section is the last of the generated config: these lines continue it.
            try (SignInGateway node1 = SignInGateway.startNode(dir.resolve("node1"), clock,
                    "  node_id: node-1\n" + SignInGateway.POLICY, "6f".repeat(32), storage);
                 SignInGateway node2 = SignInGateway.startNode(dir.resolve("node2"), clock,
                         "  node_id: node-2\n" + SignInGateway.POLICY, "6f".repeat(32), storage)) {
                SignInGateway.SignIn portal = node1.signIn("alice", SignInGateway.PASSWORD,
                        "https://app.test:" + node1.port + "/records");
                String cookie = node1.reach(portal.location(), portal.cookie()).cookie();
                clock.advance(Duration.ofMinutes(1));
                assertThat(node2.navigate("app.test", "/records", cookie).status()).isEqualTo(200);
                assertThat(node2.navigate("app.test", "/nothing-here", "").status()).isEqualTo(302);
                clock.advance(Duration.ofMinutes(1));
                assertThat(node1.navigate("app.test", "/later", "").status()).isEqualTo(302);
            }

            for (Path trail : List.of(trail1, trail2)) {
                String node = trail == trail1 ? "node-1" : "node-2";
                assertThat(Files.readAllLines(trail)).as("every line of " + node + "'s trail names it").isNotEmpty()
                        .allMatch(line -> line.contains("\"service.node.name\":\"" + node + "\""));
            }
            Path keyFile = dir.resolve("audit.key");
            Files.writeString(keyFile, SignInGateway.AUDIT_KEY);

            Run both = audit("verify", "--trail", trail1.toString(), "--trail", trail2.toString(), "--key",
                    "file:" + keyFile);
            assertThat(both.exitCode()).as(both.out() + both.err()).isZero();
            assertThat(both.out().lines().toList()).hasSize(2)
                    .satisfiesExactly(line -> assertThat(line).startsWith("node-1: OK: "),
                            line -> assertThat(line).startsWith("node-2: OK: "));

            // The query reads both nodes' trails and prints their events merged by time: node 2's events of minute 1
            // come before node 1's of minute 2, which a plain concatenation (node 1's trail, then node 2's) would not.
            Run query = audit("query", "--trail", trail1.toString(), "--trail", trail2.toString(), "--format",
                    "json");
            assertThat(query.exitCode()).as(query.err()).isZero();
            List<String> merged = query.out().lines().toList();
            assertThat(merged).hasSize(Files.readAllLines(trail1).size() + Files.readAllLines(trail2).size());
            List<Instant> times = merged.stream().map(line -> Instant.parse(line.replaceAll(
                    ".*\"@timestamp\":\"([^\"]+)\".*", "$1"))).toList();
            assertThat(times).isSorted();
            int lastOfNodeOne = -1;
            int firstOfNodeTwoAfterTheStart = -1;
            for (int i = 0; i < merged.size(); i++) {
                if (merged.get(i).contains("\"service.node.name\":\"node-1\"")) {
                    lastOfNodeOne = i;
                } else if (firstOfNodeTwoAfterTheStart < 0 && times.get(i).isAfter(times.get(0))) {
                    firstOfNodeTwoAfterTheStart = i;
                }
            }
            assertThat(firstOfNodeTwoAfterTheStart).as("a node-2 event comes before node 1's last").isPositive()
                    .isLessThan(lastOfNodeOne);

            // Node 2's end is in the shared store under its own name, not confused with node 1's.
            Run own = audit("verify", "--config", config2.toString());
            assertThat(own.exitCode()).as(own.out() + own.err()).isZero();
            assertThat(own.out()).startsWith("OK: ").doesNotContain("no note");

            // One line of node 2's trail edited: node 2 broken at that line, node 1 still OK.
            List<String> lines = new ArrayList<>(Files.readAllLines(trail2, StandardCharsets.UTF_8));
            int edited = 2;
            assertThat(lines.get(edited - 1)).contains("\"event.outcome\"");
            lines.set(edited - 1, lines.get(edited - 1).replaceFirst("\"@timestamp\":\"2026", "\"@timestamp\":\"2025"));
            Files.write(trail2, lines, StandardCharsets.UTF_8);

            Run tampered = audit("verify", "--trail", trail1.toString(), "--trail", trail2.toString(), "--key",
                    "file:" + keyFile);
            assertThat(tampered.exitCode()).isEqualTo(1);
            assertThat(tampered.out().lines().toList()).satisfiesExactly(
                    line -> assertThat(line).startsWith("node-1: OK: "),
                    line -> assertThat(line).startsWith("node-2: BROKEN: " + trail2 + ":" + edited + ": "));
        }
    }
}
