package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LoadedConfig;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.portcullis.ssh.SshHostKeys;
import org.portcullis.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis ssh-host-key --config FILE}: prints the SSH jump host's host key type and SHA-256 fingerprint,
 * read from the store (docs/ssh.md), so an admin can publish what users compare on their first connection without
 * starting the gateway. It never creates a key: exit 1 when the gateway has not made one yet.
 */
@Command(name = "ssh-host-key", mixinStandardHelpOptions = true,
        description = "Print the SSH jump host's host key fingerprint (from the store).")
public final class SshHostKeyCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "The gateway's config (its storage section opens the key).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded = ConfigLoading.loadOrReport(config, err);
        if (loaded == null) {
            return 2;
        }
        GatewayConfig gateway = loaded.config();
        if (gateway.storage() == null || gateway.ssh() == null) {
            err.println(config + ": no ssh section (the jump host is off), so there is no SSH host key");
            return 2;
        }
        Optional<KeyPair> key;
        try (Database database = StoreLocation.of(gateway.storage()).openExisting()) {
            key = new SshHostKeys(database, new SecretBox(EncryptionKey.parse(
                    gateway.storage().encryptionKeyText())), Clock.systemUTC()).load();
        } catch (RuntimeException e) {
            err.println("cannot read the SSH host key: " + e.getMessage());
            return 1;
        }
        if (key.isEmpty()) {
            err.println("no SSH host key yet: the gateway makes one on its first start with the ssh section");
            return 1;
        }
        out.println(SshHostKeys.type(key.get()) + " " + SshHostKeys.fingerprint(key.get()));
        out.flush();
        return 0;
    }
}
