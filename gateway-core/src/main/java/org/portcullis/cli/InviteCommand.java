package org.portcullis.cli;

import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.config.UserEntry;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.regulation.Subject;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.storage.StorageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
    static final int EXIT_STORE_ERROR = 1;
    static final int EXIT_BAD_INPUT = 2;
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,4})([mhd])");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The account's username (any case).")
    String name;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The gateway's storage.data_dir.")
    Path dataDir;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long the code is valid: minutes (30m), hours (24h) or days (7d); at most 30d."
                    + " Default: ${DEFAULT-VALUE}.")
    String expires;

    @Option(names = "--portal-url", paramLabel = "URL",
            description = "The gateway's public https URL, printed as the link to enrol at.")
    String portalUrl;

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
            String account;
            Duration validity;
            try {
                account = Subject.account(UserEntry.canonicalLogin(name)).value();
                if (account.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException("must not contain control characters");
                }
            } catch (IllegalArgumentException e) {
                err.println("error: NAME " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            try {
                validity = parseValidity(expires);
                rejectBadPortalUrl(portalUrl);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (StoreArgument.reportMissingDatabase(dataDir, err)) {
                return EXIT_BAD_INPUT;
            }
            try (EmbeddedDatabase database = EmbeddedDatabase.openExisting(dataDir)) {
                InvitationCode code = new InvitationCodes(database).issue(account, validity, clock.instant());
                new AdminEvents(database).record(clock, "users.invite", AuditOutcome.SUCCESS, account,
                        "valid_until=" + code.expiresAt());
                out.println("enrolment code for '" + account + "': " + code.reveal());
                out.println("valid until " + code.expiresAt() + ", once; it replaces any earlier unused code");
                if (portalUrl != null) {
                    out.println("enrol at: " + portalUrl);
                }
                out.println("hand it to the user out of band (in person or by phone), not by the email on file");
                return EXIT_OK;
            } catch (StorageException e) {
                err.println("error: " + e.getMessage());
                return EXIT_STORE_ERROR;
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    static Duration parseValidity(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--expires must be a number with m, h or d (e.g. 24h), not '"
                    + text.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration validity = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (validity.compareTo(InvitationCodes.MIN_VALIDITY) < 0
                || validity.compareTo(InvitationCodes.MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("--expires must be between 1m and 30d");
        }
        return validity;
    }

    static void rejectBadPortalUrl(String url) {
        if (url == null) {
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("--portal-url must be an absolute http(s) URL without user info,"
                        + " query or fragment");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--portal-url is not a valid URL: " + e.getReason());
        }
    }
}
