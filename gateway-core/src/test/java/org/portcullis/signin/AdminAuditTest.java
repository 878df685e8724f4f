package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.PortcullisMain;
import org.portcullis.fixtures.MutableClock;

/**
 * Admin commands run against the store of a running gateway reach its audit trail (issue "Sign-in" §6): the command
 * records itself in the store, the gateway moves it into the trail. Never a code or a key in the line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAuditTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    /** The trail's admin lines once {@code lastReason}, relayed after the others, has been written too. */
    List<String> adminLines(String lastReason) throws Exception {
        gateway.server.runtime().adminEvents().orElseThrow().relayNow().join();
        return gateway.awaitAuditLine(0, "\"event.action\":\"admin.command\"",
                        "\"event.reason\":\"" + lastReason + "\"").stream()
                .filter(line -> line.contains("\"event.action\":\"admin.command\"")).toList();
    }

    @Test
    void revokeUnlockAndInviteAreAuditedWithTheirTargetAndNoSecret() throws Exception {
        String dataDir = gateway.dataDir.toString();
        var out = new java.io.StringWriter();
        var cli = PortcullisMain.commandLine();
        cli.setOut(new java.io.PrintWriter(out));
        assertThat(cli.execute("sessions", "revoke", "--user", "bob", "--data-dir", dataDir)).isZero();
        assertThat(PortcullisMain.commandLine().execute("users", "unlock", "bob", "--data-dir", dataDir)).isZero();
        assertThat(cli.execute("users", "invite", "bob", "--config", gateway.dir.resolve("portcullis.yaml").toString())).isZero();
        String code = out.toString().replaceAll("(?s).*enrolment code for 'bob': (\\S+).*", "$1");

        List<String> lines = adminLines("users.invite");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"sessions.revoke\"")
                .contains("\"user.target.name\":\"bob\"").contains("\"event.detail\":\"revoked=0\"")
                .contains("\"event.outcome\":\"success\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"users.unlock\"")
                .contains("\"user.target.name\":\"bob\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"users.invite\""));
        assertThat(code).hasSizeGreaterThan(10);
        assertThat(gateway.auditLines()).noneMatch(line -> line.contains(code));
        assertThat(gateway.server.runtime().adminEvents().orElseThrow().relayNow().join())
                .as("each row goes out once").isZero();
    }

    /** Runs the real command tree with {@code stdin} as standard input (where a password is read from). */
    static int cliWithInput(String stdin, String... args) {
        java.io.InputStream before = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            var cli = PortcullisMain.commandLine();
            cli.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
            return cli.execute(args);
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void usersAddPasswdAndDisableAreAuditedNamingTheUserFoundThroughTheConfig() throws Exception {
        String config = gateway.dir.resolve("portcullis.yaml").toString();
        int from = gateway.auditLines().size();

        assertThat(cliWithInput("a long enough password\n", "users", "add", "Carol", "--config", config)).isZero();
        assertThat(cliWithInput("another long password\n", "users", "passwd", "carol", "--config", config))
                .isZero();
        assertThat(cliWithInput("", "users", "disable", "carol", "--config", config)).isZero();

        List<String> lines = adminLines("users.disable").stream()
                .filter(line -> line.contains("\"user.target.name\":\"carol\"")).toList();
        assertThat(lines).as("one admin event per change, each naming carol")
                .anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"users.add\""))
                .anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"users.passwd\""))
                .anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"users.disable\""))
                .noneSatisfy(line -> assertThat(line).contains("password"));
        assertThat(gateway.auditLines().subList(from, gateway.auditLines().size()))
                .noneMatch(line -> line.contains("a long enough password") || line.contains("another long"));
    }

    @Test
    void everyReloadOfTheUsersFileIsAuditedAppliedOrRefused() throws Exception {
        var reloader = gateway.server.signIn().orElseThrow().usersReloader();
        Path users = gateway.dir.resolve("users.yaml");
        String good = java.nio.file.Files.readString(users);
        reloader.reload();
        java.nio.file.Files.writeString(users, "users:\n  - username: \"\"\n");
        reloader.reload();
        java.nio.file.Files.writeString(users, good);
        reloader.reload();

        List<String> reloads = gateway.awaitAuditLine(0, "\"event.outcome\":\"failure\"", "users.yaml").stream()
                .filter(line -> line.contains("\"event.action\":\"config.reload\"") && line.contains("users.yaml"))
                .toList();
        assertThat(reloads).anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"APPLIED\""));
        assertThat(reloads).anySatisfy(line -> assertThat(line).contains("\"event.reason\":\"REFUSED\"")
                .contains("\"event.outcome\":\"failure\""));
        assertThat(gateway.signIn("alice", SignInGateway.PASSWORD, "https://app.test:" + gateway.port + "/").cookie())
                .as("the good file is back in force").isNotNull();
    }
}
