package org.portcullis.cli;

import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.portcullis.config.UserEntry;
import org.portcullis.regulation.SqliteFailureCounter;
import org.portcullis.regulation.Subject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis users unlock NAME --data-dir DIR}: ends every lock of an account (password, TOTP, …) and forgets
 * its failure counters, including the consecutive count that locks it for good after 100 failures
 * (docs/regulation.md). Works while the gateway runs: SQLite lets this process wait for the gateway's write lock,
 * and the gateway reads the counters on every attempt.
 *
 * <p>NAME is the account's username (any case; it is canonicalised as sign-in does). Address counters are not
 * touched: they end on their own after the address lockout.
 *
 * <p>Exit codes: {@value #EXIT_OK} done (also when nothing was locked), {@value #EXIT_STORE_ERROR} the store failed,
 * {@value #EXIT_BAD_INPUT} bad arguments or no database under {@code --data-dir}.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = "End an account's sign-in lockout and forget its failed attempts.",
        footer = {"", "Exit codes: 0 done (also when nothing was locked), 1 store error, 2 bad input."})
public final class UnlockCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_STORE_ERROR = StoreArgument.EXIT_STORE_ERROR;
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The account's username (any case).")
    String name;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String account;
            try {
                account = Subject.account(UserEntry.canonicalLogin(name)).value();
            } catch (IllegalArgumentException e) {
                err.println("error: NAME " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (account.chars().anyMatch(Character::isISOControl)) {
                err.println("error: NAME must not contain control characters");
                return EXIT_BAD_INPUT;
            }
            return StoreArgument.withExistingStore(store, err, database -> {
                int cleared = new SqliteFailureCounter(database).resetAccountEverywhere(account);
                new AdminEvents(database).record(java.time.Clock.systemUTC(), "users.unlock", AuditOutcome.SUCCESS,
                        account, "counters_cleared=" + cleared);
                out.println(cleared == 0
                        ? "'" + account + "' had no failed attempts recorded; nothing to unlock"
                        : "unlocked '" + account + "' (" + cleared + (cleared == 1 ? " counter" : " counters")
                                + " cleared)");
                return EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
