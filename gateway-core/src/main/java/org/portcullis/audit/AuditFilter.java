package org.portcullis.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.portcullis.config.Cidr;

/**
 * Which lines {@code audit query} prints. Every criterion that is set must hold (AND); within one criterion any of
 * the given values may match (OR). Null or empty means "any".
 *
 * @param since   first instant included ({@code @timestamp >= since})
 * @param until   first instant excluded ({@code @timestamp < until})
 * @param users   {@code user.name} or {@code user.target.name} values, compared ignoring case (account names are
 *                canonical lower case, so {@code --user Alice} means alice)
 * @param actions exact {@code event.action} values
 * @param outcome {@code success}, {@code failure} or {@code challenge} as {@link #outcomeOf} classifies a line
 * @param hosts   exact {@code url.domain} values (lower case, as the gateway writes them)
 * @param network the network {@code source.ip} must be in
 */
public record AuditFilter(Instant since, Instant until, Set<String> users, Set<String> actions, String outcome,
                          Set<String> hosts, Cidr network) {

    /** What {@link #outcomeOf} calls a sign-in or second-factor challenge. */
    public static final String CHALLENGE = "challenge";

    /**
     * The {@code event.reason} values of the challenges the portal answers with (ChallengeResponses): a redirect to
     * the sign-in or second-factor page, or a 401 for a client that cannot follow one.
     */
    public static final Set<String> CHALLENGE_REASONS = Set.of("SIGN_IN_REDIRECT", "SECOND_FACTOR_REDIRECT",
            "SIGN_IN_REQUIRED", "SECOND_FACTOR_REQUIRED");

    /** The outcomes a query can ask for. */
    public static final List<String> OUTCOMES = List.of("success", "failure", CHALLENGE);

    public AuditFilter {
        users = users == null ? Set.of() : users.stream().map(u -> u.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        actions = actions == null ? Set.of() : Set.copyOf(actions);
        hosts = hosts == null ? Set.of() : Set.copyOf(hosts);
    }

    public static AuditFilter any() {
        return new AuditFilter(null, null, null, null, null, null, null);
    }

    /**
     * The outcome of a line for a reader: {@code challenge} for an {@code access.decision} that sent the client to
     * sign in or to a second factor (written as {@code event.outcome: failure}, since the request was not let
     * through; but nothing failed, and a trail is full of them), otherwise {@code event.outcome} as written. Decided
     * here, when reading, so every trail ever written reads the same and the sealed format does not change.
     */
    public static String outcomeOf(AuditLine line) {
        String written = line.field(AuditJson.OUTCOME);
        if ("failure".equals(written) && AccessDecision.ACTION.equals(line.action())
                && CHALLENGE_REASONS.contains(line.field(AuditJson.REASON))) {
            return CHALLENGE;
        }
        return written;
    }

    public boolean matches(AuditLine line) {
        return oneOf(actions, line.action())
                && (users.isEmpty() || oneOfIgnoringCase(users, line.field(AuditJson.USER))
                        || oneOfIgnoringCase(users, line.field(AuditJson.TARGET_USER)))
                && oneOf(hosts, line.field(AuditJson.DOMAIN))
                && (outcome == null || outcome.equals(outcomeOf(line)))
                && inTime(line.field(AuditJson.TIMESTAMP))
                && inNetwork(line.field(AuditJson.SOURCE_IP));
    }

    private static boolean oneOfIgnoringCase(Set<String> lowerCase, String value) {
        return value != null && lowerCase.contains(value.toLowerCase(Locale.ROOT));
    }

    private static boolean oneOf(Set<String> allowed, String value) {
        return allowed.isEmpty() || value != null && allowed.contains(value);
    }

    private boolean inTime(String timestamp) {
        if (since == null && until == null) {
            return true;
        }
        if (timestamp == null) {
            return false;
        }
        try {
            Instant time = Instant.parse(timestamp);
            return (since == null || !time.isBefore(since)) && (until == null || time.isBefore(until));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private boolean inNetwork(String ip) {
        if (network == null) {
            return true;
        }
        if (ip == null) {
            return false;
        }
        try {
            // Cidr reads numeric addresses only: a name in an edited line never causes a DNS lookup.
            return network.covers(Cidr.parse(ip));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
