package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.directory.SlapdRequirement;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;
import org.portcullis.fixtures.Slapd;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.regulation.CounterKind;

/**
 * Users from a directory (issue 19 §1), through the running gateway as {@code run} wires it, against a real OpenLDAP
 * {@code slapd} over ldaps with its own certificate: password and TOTP, nested groups feeding a policy rule and the
 * upstream's identity headers, disabled and wrong-password refusals that read alike, the directory going down (503,
 * audited) and coming back without a restart, the re-check interval ending a deleted user's session (moved clock), and
 * LDAP filter injection in the username.
 */
@ExtendWith(SlapdRequirement.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LdapSignInTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    static final Duration RECHECK = Duration.ofMinutes(5);

    /** {@code records} needs two factors and the directory group {@code clinical}; the rest one factor. */
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: public
                  paths: ["/public/**"]
                  policy: bypass
                - id: records
                  hosts: [app.test]
                  paths: ["/records/**"]
                  subjects: [[group:clinical]]
                  policy: two_factor
                - id: records-others
                  hosts: [app.test]
                  paths: ["/records/**"]
                  policy: deny
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;
    /** The injection matrix counts many failures from one address; the address lock is not what is tested here. */
    static final String LOCKOUT = """
            lockout:
              address_max_failures: 1000
            """;

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    LdapDirectory directory;
    SignInGateway gateway;
    TotpFlow flow;
    String carolSecret;
    Path dir;

    org.portcullis.ops.AdminClient admin;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        directory = LdapDirectory.start(dir);
        gateway = SignInGateway.startWithServerAndUsers(dir.resolve("gateway"), clock, POLICY, LOCKOUT, """
                  admin:
                    address: 127.0.0.1:0
                """, directory.usersYaml(""));
        admin = new org.portcullis.ops.AdminClient(gateway.server.operations().adminAddress().orElseThrow());
        flow = new TotpFlow(gateway, clock);
        carolSecret = flow.enrol("carol");
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (directory != null) {
            directory.close();
        }
    }

    @BeforeEach
    void freshWindow() {
        clock.advance(Duration.ofSeconds(90));
        var regulator = gateway.server.signIn().orElseThrow().regulators()
                .forConfig(gateway.server.runtime().snapshot().config());
        for (String user : List.of("carol", "dave", "erin", "frank")) {
            regulator.unlockEverywhere(user);
        }
        gateway.drainUpstream();
    }

    String rd(String target) {
        return "https://app.test:" + gateway.port + target;
    }

    /** One-factor sign-in of {@code user} joined to app.test; returns app.test's session cookie. */
    String signedIn(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, rd("/x"));
        String app = gateway.callback(portal.location()).cookie();
        assertThat(gateway.navigate("app.test", "/x", app).status()).isEqualTo(200);
        gateway.drainUpstream();
        return app;
    }

    RawResponse login(String user, String password) throws Exception {
        return gateway.postLogin(gateway.loginForm(rd("/x")), user, password, rd("/x"), "");
    }

    @Test
    void aDirectoryUserSignsInWithPasswordAndTotpAndNestedGroupsDecideThePolicy() throws Exception {
        String pending = flow.password("carol", LdapDirectory.CAROL_PASSWORD, rd("/records/7"));
        RawResponse answer = flow.submitCode(pending, flow.code(carolSecret));
        assertThat(answer.status()).isEqualTo(303);
        SignInGateway.SignIn host = gateway.callback(answer.header("Location"));

        RawResponse page = gateway.navigate("app.test", "/records/7", host.cookie());

        assertThat(page.status()).as("clinical through nurses: the nested group").isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.requestLine()).isEqualTo("GET /records/7 HTTP/1.1");
        assertThat(received.headers("Remote-User")).containsExactly("carol");
        assertThat(received.header("Remote-Groups")).isEqualTo("clinical,nurses,staff");
        assertThat(received.header("Remote-Name")).isEqualTo("Carol Directory");
        assertThat(received.header("Remote-Email")).isEqualTo("carol@example.org");
    }

    @Test
    void aDirectoryUserOutsideTheGroupIsRefusedTheGroupsRule() throws Exception {
        String dave = signedIn("dave", LdapDirectory.DAVE_PASSWORD);

        assertThat(gateway.navigate("app.test", "/records/7", dave).status()).isEqualTo(403);
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        assertThat(gateway.navigate("app.test", "/y", dave).status()).isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).headers("Remote-Groups")).containsExactly("staff");
    }

    @Test
    void wrongPasswordDisabledAccountAndUnknownNameReadAlike() throws Exception {
        int from = gateway.auditLines().size();
        RawResponse wrong = login("dave", "not dave's password");
        RawResponse disabled = login("erin", LdapDirectory.ERIN_PASSWORD);
        RawResponse unknown = login("nobody", "whatever it is");
        RawResponse empty = login("dave", "");

        for (RawResponse answer : List.of(wrong, disabled, unknown, empty)) {
            assertThat(answer.status()).as("answer %d", List.of(wrong, disabled, unknown, empty).indexOf(answer))
                    .isEqualTo(401);
            assertThat(answer.bodyText()).contains(PortalMessages.WRONG_CREDENTIALS);
            assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).isNull();
        }
        // The reason is in the audit trail only. The account is the keyed stand-in: the lockout is checked before the
        // directory is asked, so a directory login not signed in recently is counted like an unknown name.
        List<String> audit = gateway.awaitAuditLine(from, "\"disabled\"");
        for (String reason : List.of("wrong_password", "disabled", "unknown_user")) {
            assertThat(audit).anyMatch(line -> line.contains("\"user.sign_in\"")
                    && line.contains("\"event.reason\":\"" + reason + "\""));
        }
        assertThat(String.join("\n", audit)).doesNotContain(LdapDirectory.ERIN_PASSWORD)
                .doesNotContain("not dave's password");
    }

    /**
     * Filter syntax typed as a username, with carol's (or dave's) real password: escaped, it names nobody. Unescaped,
     * each of these would match carol or dave (a wildcard, an OR, a {@code \63} escape for 'c', a NUL cutting the
     * value), and the bind with their password would sign the attacker in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"*", "c*", "carol*", "*arol", "*)(uid=*", "carol)(uid=*", "carol)(|(uid=*)",
            "*)(objectClass=*", "\\63arol", "\\2a", "carol\u0000", "carol\u0000)(uid=*", "car\\ol", "carol\\",
            "(uid=carol)", "*)(|(uid=carol"})
    void ldapFilterSyntaxInTheUsernameNeverMatchesAnEntry(String login) throws Exception {
        for (String password : List.of(LdapDirectory.CAROL_PASSWORD, LdapDirectory.DAVE_PASSWORD)) {
            RawResponse answer = login(login, password);

            assertThat(SignInGateway.cookiePair(answer, "__Host-portcullis")).as("no session").isNull();
            if (login.indexOf('\0') >= 0) {
                // A NUL never gets as far as the directory: the portal refuses the form itself.
                assertThat(answer.status()).as(login).isEqualTo(403);
                continue;
            }
            assertThat(answer.status()).as(login).isEqualTo(401);
            assertThat(answer.bodyText()).contains(PortalMessages.WRONG_CREDENTIALS);
        }
        RawResponse injectedDave = login(login.replace("carol", "dave"), LdapDirectory.DAVE_PASSWORD);
        assertThat(injectedDave.status()).as(login).isIn(401, 403);
        assertThat(SignInGateway.cookiePair(injectedDave, "__Host-portcullis")).as("no session").isNull();
    }

    @Test
    void directoryDownRefusesSignInWith503AuditedAndItWorksAgainWhenTheDirectoryIsBack() throws Exception {
        int from = gateway.auditLines().size();
        double errorsBefore = admin.scrape().value("portcullis_directory_errors_total", "operation", "sign_in");
        directory.slapd.kill();
        try {
            RawResponse down = login("dave", LdapDirectory.DAVE_PASSWORD);

            assertThat(down.status()).isEqualTo(503);
            assertThat(down.bodyText()).contains("Sign-in is unavailable, try again shortly.");
            assertThat(SignInGateway.cookiePair(down, "__Host-portcullis")).isNull();
            assertThat(gateway.awaitAuditLine(from, "directory_unavailable"))
                    .anyMatch(line -> line.contains("directory_unavailable"));
            // The users file is asked first: a local (break-glass) account still signs in.
            assertThat(signedIn("alice", SignInGateway.PASSWORD)).isNotNull();
            var ready = admin.get("/health/ready");
            assertThat(ready.statusCode()).as("readiness names the directory").isEqualTo(503);
            assertThat(ready.body()).contains("directory").doesNotContain("127.0.0.1");
            assertThat(admin.scrape().value("portcullis_directory_errors_total", "operation", "sign_in"))
                    .as("the refused sign-in is a directory error in the metrics").isGreaterThan(errorsBefore);
        } finally {
            directory.slapd.restart();
        }
        assertThat(signedIn("dave", LdapDirectory.DAVE_PASSWORD)).as("no gateway restart needed").isNotNull();
        assertThat(admin.get("/health/ready").statusCode()).as("ready again").isEqualTo(200);
        assertThat(admin.scrape().value("portcullis_directory_requests_seconds_count", "operation", "sign_in"))
                .as("directory latency is measured").isGreaterThan(0);
        var regulator = gateway.server.signIn().orElseThrow().regulators()
                .forConfig(gateway.server.runtime().snapshot().config());
        assertThat(regulator.check(CounterKind.PASSWORD, "dave", java.net.InetAddress.getLoopbackAddress()))
                .as("an outage is not counted as a failed attempt").isInstanceOf(
                        org.portcullis.regulation.Verdict.Allowed.class);
    }

    /**
     * The lockout is checked before the directory is asked: with the directory down, a locked account's right password
     * gets the lockout page (429), not the 503 that asking the directory would give.
     */
    @Test
    void aLockedAccountNeverReachesTheDirectory() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login("dave", "guess " + i).status()).isEqualTo(401);
        }
        directory.slapd.kill();
        try {
            RawResponse locked = login("dave", LdapDirectory.DAVE_PASSWORD);

            assertThat(locked.status()).isEqualTo(429);
            assertThat(SignInGateway.cookiePair(locked, "__Host-portcullis")).isNull();
        } finally {
            directory.slapd.restart();
        }
        assertThat(login("dave", LdapDirectory.DAVE_PASSWORD).status()).as("still locked").isEqualTo(429);
        clock.advance(Duration.ofMinutes(16));
        assertThat(login("dave", LdapDirectory.DAVE_PASSWORD).status()).as("the timed lock is over").isEqualTo(303);
    }

    @Test
    void aSessionOutlivesAnOutageUntilItsRecheckIsDueThenWaitsWith503AndResumes() throws Exception {
        String dave = signedIn("dave", LdapDirectory.DAVE_PASSWORD);
        directory.slapd.kill();
        try {
            assertThat(gateway.navigate("app.test", "/a", dave).status()).as("within the interval").isEqualTo(200);
            clock.advance(RECHECK.plusSeconds(1));

            RawResponse due = gateway.navigate("app.test", "/b", dave);

            assertThat(due.status()).as("cannot be confirmed: refused, not treated as signed out").isEqualTo(503);
        } finally {
            directory.slapd.restart();
        }
        gateway.drainUpstream();
        assertThat(gateway.navigate("app.test", "/c", dave).status()).as("the same session, confirmed")
                .isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).requestLine()).isEqualTo("GET /c HTTP/1.1");
    }

    @Test
    void aUserDeletedFromTheDirectoryLosesAccessOnceTheRecheckIsDue() throws Exception {
        directory.slapd.add(LdapDirectory.person("frank", "Frank Directory", "frank's password", 512));
        String frank = signedIn("frank", "frank's password");
        directory.slapd.delete("uid=frank," + Slapd.PEOPLE);

        assertThat(gateway.navigate("app.test", "/a", frank).status()).as("kept until the re-check").isEqualTo(200);
        gateway.drainUpstream();
        clock.advance(RECHECK.plusSeconds(1));

        RawResponse after = gateway.navigate("app.test", "/b", frank);

        assertThat(after.status()).isEqualTo(302);
        assertThat(after.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(gateway.upstream.takeRequest(NOTHING)).as("nothing forwarded").isNull();
        directory.slapd.add(LdapDirectory.person("frank", "Frank Directory", "frank's password", 512));
        assertThat(gateway.navigate("app.test", "/c", frank).status()).as("the session was ended, not paused")
                .isEqualTo(302);
    }

    @Test
    void aDeletedUsersWebSocketIsCutWithinASecondOfTheRecheckBeingDue() throws Exception {
        directory.slapd.add(LdapDirectory.person("ivan", "Ivan Directory", "ivan's password", 512));
        SignInGateway.SignIn portal = gateway.signIn("ivan", "ivan's password", rd("/"));
        try (org.portcullis.fixtures.RawHttpClient ivan = TunnelSessionTest.openTunnel(gateway,
                gateway.callback(portal.location()).cookie())) {
            directory.slapd.delete("uid=ivan," + Slapd.PEOPLE);
            ivan.send(org.portcullis.fixtures.WebSocketTestClient.maskedTextFrame("still kept"));
            assertThat(ivan.readWebSocketFrame(WAIT).text()).as("until the re-check").isEqualTo("still kept");

            clock.advance(RECHECK.plusSeconds(1));
            long due = System.nanoTime();

            assertThat(TunnelSessionTest.closedAfter(ivan, due)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void aUserDisabledInTheDirectoryLosesAccessOnceTheRecheckIsDue() throws Exception {
        directory.slapd.add(LdapDirectory.person("gina", "Gina Directory", "gina's password", 512));
        String gina = signedIn("gina", "gina's password");
        directory.slapd.modify("""
                dn: uid=gina,%s
                changetype: modify
                replace: userAccountControl
                userAccountControl: 514
                """.formatted(Slapd.PEOPLE));
        clock.advance(RECHECK.plusSeconds(1));

        assertThat(gateway.navigate("app.test", "/b", gina).status()).isEqualTo(302);
        assertThat(login("gina", "gina's password").status()).isEqualTo(401);
    }

    @Test
    void anAdminInvitesADirectoryUserForTheirFirstFactorByTheirDirectoryName() throws Exception {
        Path config = gateway.dir.resolve("portcullis.yaml");

        Invite dave = invite("Dave", "--config", config.toString());
        Invite erin = invite("erin", "--config", config.toString());
        Invite nobody = invite("nobody", "--config", config.toString());
        Invite injected = invite("d*", "--config", config.toString());

        assertThat(dave.exitCode()).as(dave.err()).isZero();
        assertThat(dave.out()).contains("enrolment code for 'dave': ");
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("': ([A-Z0-9-]{24})\n").matcher(dave.out());
        assertThat(code.find()).isTrue();
        try (var db = org.portcullis.storage.EmbeddedDatabase.openExisting(gateway.dataDir)) {
            assertThat(new org.portcullis.enrolment.InvitationCodes(db).redeem("dave", code.group(1),
                    Instant.now().plusSeconds(60))).isEqualTo(org.portcullis.enrolment.Redemption.ACCEPTED);
        }
        for (Invite refused : List.of(erin, nobody, injected)) {
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).contains("no user '").contains("the directory (users.ldap)");
        }
    }

    record Invite(int exitCode, String out, String err) {
    }

    static Invite invite(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new org.portcullis.cli.InviteCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        return new Invite(cli.execute(args), out.toString(), err.toString());
    }
}
