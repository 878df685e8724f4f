package org.portcullis.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.factor.FactorReset;
import org.portcullis.session.SessionCacheKeeper;
import org.portcullis.session.SqliteSessionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis users reset-mfa NAME --data-dir DIR [--expires 24h] [--portal-url URL]}: for a user who lost
 * every authenticator and recovery code (or whose phone may be in someone else's hands). In this order it removes
 * every second factor of the user ({@link FactorReset}: authenticators, their secrets, used steps, recovery codes),
 * ends every session of the user, and issues a new one-time enrolment code, printed once as {@code users invite}
 * does, to be handed over out of band. Audited as {@code users.reset_mfa}.
 *
 * <p>Ending the sessions matters: a session that already passed the second factor would otherwise stay valid for up
 * to the absolute timeout, in the hands of whoever has the phone. Works while the gateway runs (SQLite waits for its
 * write lock; the gateway reads factors and sessions on every request), needs no encryption key, and can be run
 * again if it failed half-way (every step is idempotent).
 *
 * <p>Exit codes: {@value #EXIT_OK} done, {@value #EXIT_STORE_ERROR} the store failed, {@value #EXIT_BAD_INPUT} bad
 * arguments or no database under {@code --data-dir}.
 */
@Command(name = "reset-mfa", mixinStandardHelpOptions = true,
        description = {"Remove every second factor of a user, end their sessions and issue a new enrolment code."},
        footer = {"", "Exit codes: 0 done, 1 store error, 2 bad input."})
public final class ResetMfaCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_STORE_ERROR = StoreArgument.EXIT_STORE_ERROR;
    static final int EXIT_BAD_INPUT = 2;
    static final String AUDIT_COMMAND = "users.reset_mfa";

    @Spec
    CommandSpec spec;

    @Mixin
    InvitationOptions invitation;

    private final Clock clock;

    public ResetMfaCommand() {
        this(Clock.systemUTC());
    }

    /** With the clock that dates the new code (tests run it against a gateway on a test clock). */
    public ResetMfaCommand(Clock clock) {
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
                FactorReset.Removed removed = FactorReset.removeAll(database, account);
                int sessions = new SqliteSessionStore(database).deleteByUser(account);
                // A running gateway's session cache honours it from the moment this command reports it.
                SessionCacheKeeper.awaitRunningGatewaysNotice();
                InvitationCode code = new InvitationCodes(database).issue(account, validity, clock.instant());
                new AdminEvents(database).record(clock, AUDIT_COMMAND, AuditOutcome.SUCCESS, account,
                        "authenticator_apps_removed=" + removed.authenticatorApps()
                                + " pending_enrolments_removed=" + removed.pendingEnrolments()
                                + " security_keys_removed=" + removed.securityKeys()
                                + " recovery_codes_removed=" + removed.recoveryCodes()
                                + " used_recovery_codes_removed=" + removed.usedRecoveryCodes()
                                + " sessions_ended=" + sessions + " valid_until=" + code.expiresAt());
                out.println(summary(account, removed, sessions));
                invitation.print(out, account, code);
                return EXIT_OK;
            });
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * What went, in the words an admin checks against what the user reported: usable factors first; used recovery
     * codes and unconfirmed enrolments only when there were any, and never counted as usable.
     */
    static String summary(String account, FactorReset.Removed removed, int sessions) {
        List<String> usable = new ArrayList<>();
        usable.add(count(removed.authenticatorApps(), "authenticator app", "authenticator apps"));
        usable.add(count(removed.securityKeys(), "security key", "security keys"));
        usable.add(count(removed.recoveryCodes(), "unused recovery code", "unused recovery codes"));
        List<String> also = new ArrayList<>();
        if (removed.usedRecoveryCodes() > 0) {
            also.add(count(removed.usedRecoveryCodes(), "used recovery code", "used recovery codes"));
        }
        if (removed.pendingEnrolments() > 0) {
            also.add(count(removed.pendingEnrolments(), "unconfirmed enrolment", "unconfirmed enrolments"));
        }
        return "removed every second factor of '" + account + "' (" + String.join(", ", usable)
                + (also.isEmpty() ? "" : "; also " + String.join(", ", also)) + ") and ended "
                + count(sessions, "session", "sessions");
    }

    private static String count(int count, String one, String many) {
        return count + " " + plural(count, one, many);
    }

    private static String plural(int count, String one, String many) {
        return count == 1 ? one : many;
    }
}
