package org.portcullis.cli;

import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.KeyRotation;
import org.portcullis.crypto.SecretBoxException;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis storage rotate-key --data-dir DIR}: re-encrypts every secret of the store under a new
 * {@code storage.encryption_key} in one transaction (docs/secrets-and-codes.md).
 *
 * <p>The keys are read from the environment ({@value #OLD_KEY_ENV}, {@value #NEW_KEY_ENV}) or, for each one not
 * set there, from a line of standard input (old first, then new); never from arguments, which other users of the
 * host see in {@code ps} and which land in shell history. Stop the gateway first and start it with the new key.
 *
 * <p>Exit codes: {@value #EXIT_OK} done, {@value #EXIT_FAILED} not done (wrong old key, a damaged secret, store
 * error; nothing changed), {@value #EXIT_BAD_INPUT} bad arguments or keys, or no database under {@code --data-dir}.
 */
@Command(name = "storage", mixinStandardHelpOptions = true, description = "Maintain the gateway's local store.",
        subcommands = {StorageCommand.RotateKey.class, StorageMigrateCommand.class})
public final class StorageCommand implements Runnable {

    static final String OLD_KEY_ENV = "PORTCULLIS_OLD_KEY";
    static final String NEW_KEY_ENV = "PORTCULLIS_NEW_KEY";
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    final Map<String, String> environment;
    final Supplier<BufferedReader> standardInput;
    final Clock clock;

    public StorageCommand() {
        this(System.getenv(), () -> new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    /** With the keys' sources and clock given (tests; the no-argument one is what the CLI uses). */
    public StorageCommand(Map<String, String> environment, Supplier<BufferedReader> standardInput, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.standardInput = Objects.requireNonNull(standardInput, "standardInput");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = {"Re-encrypt every stored secret under a new storage.encryption_key.",
                "Keys come from " + OLD_KEY_ENV + " / " + NEW_KEY_ENV + " or from standard input (old line, then new",
                "line). Stop the gateway first."},
            footer = {"", "Exit codes: 0 done, 1 not done (nothing changed), 2 bad input."})
    static final class RotateKey implements Callable<Integer> {
        @ParentCommand
        StorageCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                StoreLocation location = store.resolve(err);
                if (location == null || StoreArgument.reportMissing(location, err)) {
                    return EXIT_BAD_INPUT;
                }
                EncryptionKey oldKey;
                EncryptionKey newKey;
                BufferedReader stdin = null;
                try {
                    String oldText = parent.environment.get(OLD_KEY_ENV);
                    String newText = parent.environment.get(NEW_KEY_ENV);
                    if (oldText == null || newText == null) {
                        stdin = parent.standardInput.get();
                    }
                    oldKey = EncryptionKey.parse(oldText != null ? oldText : readLine(stdin, "old"));
                    newKey = EncryptionKey.parse(newText != null ? newText : readLine(stdin, "new"));
                } catch (IllegalArgumentException | IOException e) {
                    err.println("error: " + e.getMessage());
                    return EXIT_BAD_INPUT;
                }
                if (oldKey.sameKeyAs(newKey)) {
                    err.println("error: the new key is the old key (" + oldKey.id() + ")");
                    return EXIT_BAD_INPUT;
                }
                try (Database database = location.openExisting()) {
                    int count = KeyRotation.rotate(database, oldKey, newKey, parent.clock);
                    new AdminEvents(database).record(parent.clock, "storage.rotate_key", AuditOutcome.SUCCESS, null,
                            "from=" + oldKey.id() + " to=" + newKey.id() + " secrets=" + count);
                    out.println("re-encrypted " + count + (count == 1 ? " secret" : " secrets") + " from key "
                            + oldKey.id() + " to key " + newKey.id()
                            + "; configure the new key as storage.encryption_key before starting the gateway");
                    return EXIT_OK;
                } catch (SecretBoxException | StorageException e) {
                    err.println("error: " + e.getMessage() + "; nothing was changed");
                    return EXIT_FAILED;
                }
            } finally {
                out.flush();
                err.flush();
            }
        }

        private static String readLine(BufferedReader stdin, String which) throws IOException {
            String line = stdin.readLine();
            if (line == null) {
                throw new IOException("no " + which + " key: set " + (which.equals("old") ? OLD_KEY_ENV : NEW_KEY_ENV)
                        + " or give it as a line on standard input");
            }
            return line;
        }
    }
}
