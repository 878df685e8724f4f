package org.portcullis.cli;

import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.enrolment.InvitationCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis users invite NAME --data-dir DIR [--expires 24h] [--portal-url URL]}: issues a one-time
 * enrolment code for a user who has no second factor yet (SECURITY-RULES 15, docs/secrets-and-codes.md) and prints
 * it once, with the portal link, for the admin to hand over out of band. Only its hash is stored; a new invitation
 * replaces the user's unused earlier one. Works while the gateway runs (SQLite waits for its write lock).
 *
 * <p>The link never contains the code: URLs end up in browser history, proxies and access logs.
 *
 * <p>Exit codes: {@value #EXIT_OK} issued, {@value #EXIT_STORE_ERROR} the store failed, {@value #EXIT_BAD_INPUT}
 * bad arguments or no database under {@code --data-dir}.
 */
@Command(name = "invite", mixinStandardHelpOptions = true,
        description = "Issue a one-time enrolment code so a user can enrol a second factor.",
        footer = {"", "Exit codes: 0 issued, 1 store error, 2 bad input."})
public final class InviteCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_STORE_ERROR = StoreArgument.EXIT_STORE_ERROR;
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    InvitationOptions invitation;

    private final Clock clock;

    public InviteCommand() {
        this(Clock.systemUTC());
    }

    InviteCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String named = invitation.account(err);
            String account = named == null ? null : invitation.existingAccount(named, new UsersFileLoader(), err);
            Duration validity = account == null ? null : invitation.validity(err);
            if (validity == null) {
                return EXIT_BAD_INPUT;
            }
            return StoreArgument.withExistingStore(invitation.store, err, database -> {
                InvitationCode code = new InvitationCodes(database).issue(account, validity, clock.instant());
                new AdminEvents(database).record(clock, "users.invite", AuditOutcome.SUCCESS, account,
                        "valid_until=" + code.expiresAt());
                invitation.print(out, account, code);
                return EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }
}
