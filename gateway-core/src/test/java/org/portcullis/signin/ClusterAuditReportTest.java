package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.PostgresServer;

/**
 * {@code audit report --trail … --trail …} over the trails of two real nodes on one PostgreSQL store (issue 18): the
 * totals are the sum of the two nodes' own reports, sign-ins by factor likewise, each node's chain has its own verdict,
 * listed events name their node and come in time order across the nodes (not one trail after the other), a line
 * edited in one node's trail is named with its node, file and line, and the page still carries no script.
 */
@Timeout(180)
class ClusterAuditReportTest {
    private static final Pattern TOTAL = Pattern.compile("<dt>([^<]+)</dt><dd>(\\d+)</dd>");
    private static final Pattern PASSWORD_ALONE = Pattern.compile(
            "<td>password alone \\(one factor\\)</td><td class=\"n\">(\\d+)</td>");
    private static final Pattern SUSPICIOUS_ROW = Pattern.compile(
            "<tr><td class=\"t\">[^<]*</td><td>([^<]*)</td><td>lockout</td><td>([^<]*)</td>");
    private static final String RD = "https://app.test/records";

    @Test
    void twoNodesTrailsMakeOneReportWithEachNodesChainAndTheirEventsMergedByTime(@TempDir Path dir)
            throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
        Path trail1 = dir.resolve("node1").resolve("audit.jsonl");
        Path trail2 = dir.resolve("node2").resolve("audit.jsonl");
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
            // The audit section is the last of the generated config: node_id continues it. Two failures lock an
            // account, so each node writes a lockout, a listed event.
            String lockout = "lockout:\n  max_failures: 2\n";
            try (SignInGateway node1 = SignInGateway.startNode(dir.resolve("node1"), clock, SignInGateway.POLICY,
                    "6f".repeat(32), storage, "  node_id: node-1\n" + lockout);
                 SignInGateway node2 = SignInGateway.startNode(dir.resolve("node2"), clock, SignInGateway.POLICY,
                         "6f".repeat(32), storage, "  node_id: node-2\n" + lockout)) {
                node1.signIn("alice", SignInGateway.PASSWORD, RD);
                node2.signIn("bob", SignInGateway.BOB_PASSWORD, RD);
                clock.advance(Duration.ofMinutes(1));
                failTwice(node2, "bob");
                clock.advance(Duration.ofMinutes(1));
                failTwice(node1, "alice");
            }
            Path keyFile = dir.resolve("audit.key");
            Files.writeString(keyFile, SignInGateway.AUDIT_KEY);
            String key = "file:" + keyFile;
            String[] period = {"--since", "2026-12-07", "--until", "2026-12-07", "--key", key};

            Map<String, Long> one = totals(report(dir, "node1.html", 0, period, trail1.toString()));
            Map<String, Long> two = totals(report(dir, "node2.html", 0, period, trail2.toString()));
            String both = report(dir, "both.html", 0, period, "--trail", trail1.toString(), "--trail",
                    trail2.toString());

            Map<String, Long> merged = totals(both);
            assertThat(merged).containsEntry("Sign-ins succeeded", 2L).containsEntry("Sign-ins failed", 4L)
                    .containsEntry("Lockouts", 2L);
            for (Map.Entry<String, Long> total : merged.entrySet()) {
                assertThat(total.getValue()).as(total.getKey() + " is the sum of both nodes'")
                        .isEqualTo(one.get(total.getKey()) + two.get(total.getKey()));
            }
            assertThat(passwordAlone(both)).as("sign-ins by factor over both nodes").isEqualTo(2)
                    .isEqualTo(passwordAlone(read(dir, "node1.html")) + passwordAlone(read(dir, "node2.html")));

            // Each node's chain on its own.
            assertThat(both).contains("data-node=\"node-1\">Node <code>node-1</code>: OK: ")
                    .contains("data-node=\"node-2\">Node <code>node-2</code>: OK: ");

            // Listed events name their node, in time order across nodes: node 2's lockout (minute 1) before node 1's
            // (minute 2), though node 1's trail was given first.
            assertThat(suspiciousLockouts(both)).containsExactly(List.of("node-2", "bob"), List.of("node-1", "alice"));

            // No script in the page, as for one trail.
            assertThat(both.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("javascript:");
            assertThat(both).contains("Content-Security-Policy\" content=\"default-src 'none'");

            // One line of node 2's trail edited: node 2 broken at that line (node, file, line), node 1 still OK.
            List<String> lines = new ArrayList<>(Files.readAllLines(trail2, StandardCharsets.UTF_8));
            int edited = 2;
            lines.set(edited - 1, lines.get(edited - 1).replaceFirst("\"event.outcome\":\"[a-z]+\"",
                    "\"event.outcome\":\"unknown\""));
            Files.write(trail2, lines, StandardCharsets.UTF_8);
            String tampered = report(dir, "tampered.html", 1, period, "--trail", trail1.toString(), "--trail",
                    trail2.toString());
            assertThat(tampered).contains("data-node=\"node-1\">Node <code>node-1</code>: OK: ")
                    .contains("data-node=\"node-2\">Node <code>node-2</code>: BROKEN: " + trail2 + ":" + edited + ": ")
                    .contains("cannot be trusted as the record");
        }
    }

    private static void failTwice(SignInGateway node, String user) throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(node.postLogin(node.loginForm(RD), user, "not the password", RD, "").status())
                    .isEqualTo(401);
        }
    }

    /** Runs {@code audit report} into {@code name} in {@code dir}, expecting {@code exit}; returns the page. */
    private static String report(Path dir, String name, int exit, String[] period, String... trails)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--out", dir.resolve(name).toString()));
        args.addAll(List.of(period));
        args.addAll(List.of(trails));
        ClusterAuditTrailsTest.Run run = ClusterAuditTrailsTest.audit(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exit);
        return read(dir, name);
    }

    private static String read(Path dir, String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    private static Map<String, Long> totals(String html) {
        Map<String, Long> totals = new LinkedHashMap<>();
        Matcher total = TOTAL.matcher(html);
        while (total.find()) {
            totals.put(total.group(1), Long.parseLong(total.group(2)));
        }
        assertThat(totals).hasSize(6);
        return totals;
    }

    private static long passwordAlone(String html) {
        Matcher row = PASSWORD_ALONE.matcher(html);
        assertThat(row.find()).as("the factor-use table").isTrue();
        return Long.parseLong(row.group(1));
    }

    /** The (node, user) of each lockout row of the suspicious-events table, in the page's order. */
    private static List<List<String>> suspiciousLockouts(String html) {
        String table = html.substring(html.indexOf("<table id=\"suspicious\">"));
        table = table.substring(0, table.indexOf("</table>"));
        List<List<String>> rows = new ArrayList<>();
        Matcher row = SUSPICIOUS_ROW.matcher(table);
        while (row.find()) {
            rows.add(List.of(row.group(1), row.group(2)));
        }
        return rows;
    }
}
