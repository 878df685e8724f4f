package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.storage.EmbeddedDatabase;

/**
 * Issue 12: people type their password into the username field. A login that names no account is never recorded as
 * typed: not in the audit trail, not as the lockout subject in the store, not in any log line; a keyed hash stands
 * for it, the same for every spelling of the same name, so the lockout of an unknown name still works.
 */
@Timeout(120)
class UnknownLoginNameTest {
    static final String PASSWORD_AS_LOGIN = "Tr0ub4dor&3-Horse!";
    static final String RD = LockoutTest.RD;

    @Test
    void aPasswordTypedAsTheLoginIsNeverRecordedAndItsLockoutStillWorks(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Runnable stopCapture = SecretsNeverLoggedTest.captureLogs(logged);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
        SignInGateway gateway = SignInGateway.start(dir, clock);
        try {
            for (int i = 0; i < 5; i++) {
                RawResponse wrong = gateway.postLogin(gateway.loginForm(RD), PASSWORD_AS_LOGIN, "x" + i, RD, "");
                assertThat(wrong.status()).as("attempt %d", i + 1).isEqualTo(401);
            }
            // the same name in other letter case is the same counter: locked
            RawResponse locked = gateway.postLogin(gateway.loginForm(RD), PASSWORD_AS_LOGIN.toUpperCase(Locale.ROOT),
                    "x5", RD, "");
            LockoutTest.assertLocked(locked);
            assertThat(gateway.awaitAuditLine(0, "locked_account")).isNotEmpty();
        } finally {
            gateway.close();
            stopCapture.run();
        }

        String audit = String.join("\n", gateway.auditLines());
        List<String> unknown = gateway.auditLines().stream().filter(line -> line.contains("\"user.sign_in\"")
                && line.contains("\"user.name\":\"unknown user (hmac:")).toList();
        assertThat(unknown).hasSize(6);
        assertThat(unknown.stream().map(line -> line.replaceAll(".*\"user.name\":\"([^\"]+)\".*", "$1")).distinct())
                .singleElement().asString().matches("unknown user \\(hmac:[0-9a-f]{32}\\)");
        assertThat(audit).contains("\"user.lockout\"");
        assertNotContained("the audit trail", audit);
        assertNotContained("the application log", logged.toString(StandardCharsets.UTF_8));

        // what auditors read: audit query and audit report show the hashed text, never the name
        String config = dir.resolve("portcullis.yaml").toString();
        String query = auditCommand("query", "--config", config, "--event", "user.sign_in", "--since", "2026-11-29",
                "--format", "csv");
        assertThat(query).contains("unknown user (hmac:");
        assertNotContained("audit query", query);
        Path report = dir.resolve("report.html");
        auditCommand("report", "--config", config, "--since", "2026-11-29", "--until", "2026-11-30", "--out",
                report.toString());
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("unknown user (hmac:");
        assertNotContained("audit report", html);

        List<String> subjects = new ArrayList<>();
        try (EmbeddedDatabase store = EmbeddedDatabase.openExisting(gateway.dataDir)) {
            store.read(c -> {
                try (PreparedStatement select = c.prepareStatement("SELECT subject, consecutive_failures FROM "
                        + "regulation_failures WHERE subject_kind = 'account'");
                     ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        subjects.add(rows.getString(1) + " " + rows.getInt(2));
                    }
                }
                return null;
            });
        }
        assertThat(subjects).singleElement().asString().matches("unknown user \\(hmac:[0-9a-f]{32}\\) 5");
        try (Stream<Path> files = Files.walk(gateway.dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNotContained(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** Runs {@code portcullis audit ARGS} in-process; its standard output, after checking that it succeeded. */
    static String auditCommand(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new org.portcullis.cli.AuditCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute(args)).as(err.toString()).isZero();
        return out.toString();
    }

    static void assertNotContained(String where, String text) {
        assertThat(text.toLowerCase(Locale.ROOT)).as(where).doesNotContain(PASSWORD_AS_LOGIN.toLowerCase(Locale.ROOT))
                .doesNotContain(SignInGateway.encode(PASSWORD_AS_LOGIN).toLowerCase(Locale.ROOT));
    }
}
