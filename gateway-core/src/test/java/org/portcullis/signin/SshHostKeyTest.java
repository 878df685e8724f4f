package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.ssh.SshHostKeys;
import org.portcullis.storage.EmbeddedDatabase;

/**
 * The jump host's host key (issue 17): generated on the first start, the same after a restart (users' known_hosts
 * entries stay valid), kept only encrypted in the store, and its fingerprint the one OpenSSH computes.
 */
class SshHostKeyTest {
    static final String KEY = "c3".repeat(32);

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));

    @Test
    void theHostKeyIsGeneratedOnceAndKeptEncrypted() throws Exception {
        String ssh = """
                tcp_targets:
                  - {name: db01, address: "127.0.0.1:22", groups: [clinicians]}
                ssh:
                  address: 127.0.0.1:0
                """;
        String first;
        try (SignInGateway gateway = SignInGateway.start(dir, clock, SignInGateway.POLICY, ssh, KEY)) {
            first = gateway.server.jumpHost().orElseThrow().fingerprint();
            assertThat(first).matches("SHA256:[A-Za-z0-9+/]{43}");
        }
        try (SignInGateway again = SignInGateway.start(dir, clock, SignInGateway.POLICY, ssh, KEY)) {
            assertThat(again.server.jumpHost().orElseThrow().fingerprint()).isEqualTo(first);
        }
        // On disk only as an envelope: the private key's PKCS#8 bytes appear in no file of the store.
        KeyPair stored;
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dir.resolve("data"))) {
            stored = new SshHostKeys(database, new SecretBox(EncryptionKey.parse(KEY)), clock).load().orElseThrow();
        }
        assertThat(SshHostKeys.fingerprint(stored)).isEqualTo(first);
        // The admin's CLI prints the same fingerprint, from the store, without starting the gateway.
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = org.portcullis.cli.PortcullisMain.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        assertThat(cli.execute("ssh-host-key", "--config", dir.resolve("portcullis.yaml").toString())).isZero();
        assertThat(out.toString()).isEqualTo("ssh-ed25519 " + first + "\n");
        byte[] secret = stored.getPrivate().getEncoded();
        byte[] tail = java.util.Arrays.copyOfRange(secret, secret.length - 32, secret.length);
        String needle = HexFormat.of().formatHex(tail);
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = HexFormat.of().formatHex(Files.readAllBytes(file));
                assertThat(bytes).as(file.toString()).doesNotContain(needle);
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .doesNotContain("PRIVATE KEY");
            }
        }
    }
}
