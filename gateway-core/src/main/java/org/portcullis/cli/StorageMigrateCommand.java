package org.portcullis.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.config.PostgresqlConfig;
import org.portcullis.config.PostgresqlSslMode;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.PostgresDatabase;
import org.portcullis.storage.StorageException;
import org.portcullis.storage.StoreCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis storage migrate --from sqlite:DIR --to postgresql://HOST[:PORT]/DB --user NAME}: moves a single
 * node's store into a new, empty PostgreSQL database for a cluster ({@link StoreCopy}, docs/cluster.md). Stop the
 * gateway first; afterwards start every node with {@code storage.backend: postgresql} and the same
 * {@code storage.encryption_key}.
 *
 * <p>The password comes from {@value #PASSWORD_ENV} or, when that is not set, from a line of standard input (an
 * empty line: none); never from an argument, which other users see in {@code ps} and which lands in shell history.
 *
 * <p>Exit codes: {@value StorageCommand#EXIT_OK} copied and verified, {@value StorageCommand#EXIT_FAILED} refused or
 * failed (target not empty, store error; nothing committed), {@value StorageCommand#EXIT_BAD_INPUT} bad arguments.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy the local SQLite store into an empty PostgreSQL database, verifying row counts.",
            "The password comes from " + StorageMigrateCommand.PASSWORD_ENV + " or a line on standard input.",
            "Stop the gateway first."},
        footer = {"", "Exit codes: 0 done, 1 refused or failed (nothing committed), 2 bad input."})
final class StorageMigrateCommand implements Callable<Integer> {
    static final String PASSWORD_ENV = "PORTCULLIS_PG_PASSWORD";
    private static final String SQLITE_PREFIX = "sqlite:";

    @ParentCommand
    StorageCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "sqlite:DIR",
            description = "The gateway's storage.data_dir, prefixed with sqlite:.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "postgresql://HOST[:PORT]/DB",
            description = "The new database, as storage.postgresql.url.")
    String to;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The PostgreSQL role.")
    String user;

    @Option(names = "--ssl-mode", paramLabel = "MODE", defaultValue = "verify-full",
            description = "disable, require, verify-ca or verify-full (default).")
    String sslMode;

    @Option(names = "--ssl-root-cert", paramLabel = "FILE", description = "CA bundle for verify-ca/verify-full.")
    Path sslRootCert;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!from.startsWith(SQLITE_PREFIX) || from.length() == SQLITE_PREFIX.length()) {
                err.println("error: --from must be sqlite:DIR (the gateway's storage.data_dir)");
                return StorageCommand.EXIT_BAD_INPUT;
            }
            Path dataDir = Path.of(from.substring(SQLITE_PREFIX.length()));
            if (StoreArgument.reportMissingDatabase(dataDir, err)) {
                return StorageCommand.EXIT_BAD_INPUT;
            }
            Optional<PostgresqlSslMode> mode = java.util.Arrays.stream(PostgresqlSslMode.values())
                    .filter(m -> m.yamlName().equals(sslMode)).findFirst();
            if (mode.isEmpty()) {
                err.println("error: --ssl-mode must be disable, require, verify-ca or verify-full");
                return StorageCommand.EXIT_BAD_INPUT;
            }
            String password;
            try {
                password = password(parent.environment, parent.standardInput.get());
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return StorageCommand.EXIT_BAD_INPUT;
            }
            Optional<PostgresqlConfig> target = PostgresqlConfig.forTool(to, user, password, mode.get(), sslRootCert);
            if (target.isEmpty()) {
                err.println("error: --to must be postgresql://HOST[:PORT]/DATABASE (no user, password or"
                        + " parameters in it)");
                return StorageCommand.EXIT_BAD_INPUT;
            }
            try (EmbeddedDatabase source = EmbeddedDatabase.openExisting(dataDir);
                 PostgresDatabase destination = PostgresDatabase.open(target.get())) {
                StoreCopy.Result result = StoreCopy.copy(source, destination);
                for (Map.Entry<String, Long> table : new java.util.TreeMap<>(result.rowsByTable()).entrySet()) {
                    out.println(table.getKey() + ": " + table.getValue() + " rows");
                }
                new AdminEvents(destination).record(parent.clock, "storage.migrate", AuditOutcome.SUCCESS, null,
                        "from=sqlite to=" + target.get().describe() + " rows=" + result.totalRows());
                out.println("copied " + result.totalRows() + " rows in " + result.rowsByTable().size()
                        + " tables to " + target.get().describe() + "; counts verified. Start every node with"
                        + " storage.backend: postgresql and the same storage.encryption_key.");
                return StorageCommand.EXIT_OK;
            } catch (StoreCopy.Refused e) {
                err.println("error: refused: " + e.getMessage() + "; nothing was written");
                return StorageCommand.EXIT_FAILED;
            } catch (StorageException e) {
                err.println("error: " + e.getMessage() + "; nothing was committed");
                return StorageCommand.EXIT_FAILED;
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String password(Map<String, String> environment, BufferedReader stdin) throws IOException {
        String fromEnvironment = environment.get(PASSWORD_ENV);
        if (fromEnvironment != null) {
            return fromEnvironment.isEmpty() ? null : fromEnvironment;
        }
        String line = stdin.readLine();
        if (line == null) {
            throw new IOException("no password: set " + PASSWORD_ENV + " or give it as a line on standard input"
                    + " (an empty line for none)");
        }
        return line.isEmpty() ? null : line;
    }
}
