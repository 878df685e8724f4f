package org.portcullis.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.config.ConfigException;
import org.portcullis.config.UserEntry;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.enrolment.InvitationCodes;
import org.portcullis.regulation.Subject;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code users invite} and {@code users reset-mfa} share: the account, the store, how long the new enrolment code
 * is valid and the portal link, their checks, and how the code is handed to the admin (printed once, never with the
 * link, to be passed on out of band).
 */
final class InvitationOptions {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,4})([mhd])");

    @Parameters(paramLabel = "NAME", description = "The account's username (any case).")
    String name;

    @Mixin
    StoreOptions store;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The users file, to check that NAME is a user (not needed with --config: users.file).")
    Path usersFile;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "24h",
            description = "How long the enrolment code is valid: minutes (30m), hours (24h) or days (7d); at most 30d."
                    + " Default: ${DEFAULT-VALUE}.")
    String expires;

    @Option(names = "--portal-url", paramLabel = "URL",
            description = "The gateway's public https URL, printed as the link to enrol at.")
    String portalUrl;

    /** The canonical account NAME names, or null after saying what is wrong on {@code err}. */
    String account(PrintWriter err) {
        try {
            String account = Subject.account(UserEntry.canonicalLogin(name)).value();
            if (account.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("must not contain control characters");
            }
            return account;
        } catch (IllegalArgumentException e) {
            err.println("error: NAME " + e.getMessage());
            return null;
        }
    }

    /**
     * The account of NAME as the users file has it (NAME may also be the user's email), or null after saying why not
     * on {@code err}. A code for a name that is not a user would be a loose credential waiting for whoever is later
     * added under that name, so it is refused.
     */
    String existingAccount(String account, UsersFileLoader loader, PrintWriter err) {
        Path file;
        if (store.config != null) {
            file = ConfigPaths.usersFile(store.config, err);
        } else if (usersFile != null) {
            file = usersFile;
        } else {
            err.println("error: give --config FILE (or --file USERS) so that NAME can be checked against the users");
            return null;
        }
        if (file == null) {
            return null;
        }
        List<UserEntry> users;
        try {
            users = loader.load(file).users();
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            err.println("error: cannot read the users file " + file);
            return null;
        }
        for (UserEntry user : users) {
            if (user.username().equals(account) || account.equals(user.email())) {
                return user.username();
            }
        }
        if (store.config != null) {
            DirectoryAccountCheck.Answer directory = DirectoryAccountCheck.username(store.config, account, err);
            if (directory.configured()) {
                return directory.username();
            }
        }
        err.println("error: no user '" + account + "' in " + file + " (add it first: portcullis users add)");
        return null;
    }

    /** How long the code is valid, after checking {@code --expires} and {@code --portal-url}; null after an error. */
    Duration validity(PrintWriter err) {
        try {
            Duration validity = parseValidity(expires);
            rejectBadPortalUrl(portalUrl);
            return validity;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }

    /** Prints the code, the only time it exists in plain text, with how to hand it over. */
    void print(PrintWriter out, String account, InvitationCode code) {
        out.println("enrolment code for '" + account + "': " + code.reveal());
        out.println("valid until " + code.expiresAt() + ", once; it replaces any earlier unused code");
        if (portalUrl != null) {
            out.println("enrol at: " + portalUrl);
        }
        out.println("hand it to the user out of band (in person or by phone), not by the email on file");
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
