package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.cli.StorageCommand;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import picocli.CommandLine;

/**
 * {@code storage rotate-key} between two runs of the real gateway (issue 5 §3, §6): an authenticator enrolled under
 * the old key still signs in after a restart with the new key, and a restart with the old key stops with a message
 * naming both key ids instead of treating the secrets as missing. (That the store's files, write-ahead log included,
 * never contain a TOTP secret is {@code TotpStorageTest}'s.)
 */
class TotpKeyRotationTest {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-29T09:00:00Z"));
    SignInGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void afterRotationTheNewKeySignsInWithTheOldAuthenticatorAndTheOldKeyRefusesToStart(@TempDir Path dir)
            throws Exception {
        EncryptionKey oldKey = EncryptionKey.generate();
        EncryptionKey newKey = EncryptionKey.generate();
        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "", oldKey.revealBase64());
        String secret = new TotpFlow(gateway, clock).enrol("alice");
        gateway.close();
        gateway = null;

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StorageCommand(Map.of(), () -> new BufferedReader(new StringReader(
                oldKey.revealBase64() + "\n" + newKey.revealBase64() + "\n")), clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("rotate-key", "--data-dir", dir.resolve("data").toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("from key " + oldKey.id() + " to key " + newKey.id());

        gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "", newKey.revealBase64());
        TotpFlow flow = new TotpFlow(gateway, clock);
        clock.advance(Duration.ofSeconds(30));
        String pending = flow.password("alice", SignInGateway.PASSWORD, "");
        RawResponse signedIn = flow.submitCode(pending, flow.code(secret));
        assertThat(signedIn.status()).as(signedIn.bodyText()).isEqualTo(303);
        assertThat(signedIn.header("Location")).isNotEqualTo("/.portcullis/second-factor");
        gateway.close();
        gateway = null;

        Throwable refused = catchThrowable(() -> gateway = SignInGateway.start(dir, clock, TotpFlow.POLICY, "",
                oldKey.revealBase64()));
        assertThat(refused).as("the old key no longer opens the store").isNotNull();
        assertThat(refused).hasMessageContaining("encrypted under key " + newKey.id())
                .hasMessageContaining("configured storage.encryption_key is " + oldKey.id());
        assertThat(refused.getMessage()).doesNotContain(oldKey.revealBase64()).doesNotContain(newKey.revealBase64());
    }
}
