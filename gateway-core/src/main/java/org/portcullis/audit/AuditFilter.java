package org.portcullis.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.portcullis.config.Cidr;

/**
 * Which lines {@code audit query} prints. Every criterion that is set must hold (AND); within one criterion any of
 * the given values may match (OR). Null or empty means "any".
 *
 * @param since   first instant included ({@code @timestamp >= since})
 * @param until   first instant excluded ({@code @timestamp < until})
 * @param users   exact {@code user.name} values
 * @param actions exact {@code event.action} values
 * @param outcome {@code success} or {@code failure}
 * @param hosts   exact {@code url.domain} values (lower case, as the gateway writes them)
 * @param network the network {@code source.ip} must be in
 */
public record AuditFilter(Instant since, Instant until, Set<String> users, Set<String> actions, String outcome,
                          Set<String> hosts, Cidr network) {

    public AuditFilter {
        users = users == null ? Set.of() : Set.copyOf(users);
        actions = actions == null ? Set.of() : Set.copyOf(actions);
        hosts = hosts == null ? Set.of() : Set.copyOf(hosts);
    }

    public static AuditFilter any() {
        return new AuditFilter(null, null, null, null, null, null, null);
    }

    public boolean matches(AuditLine line) {
        return oneOf(actions, line.action())
                && oneOf(users, line.field(AuditJson.USER))
                && oneOf(hosts, line.field(AuditJson.DOMAIN))
                && (outcome == null || outcome.equals(line.field(AuditJson.OUTCOME)))
                && inTime(line.field(AuditJson.TIMESTAMP))
                && inNetwork(line.field(AuditJson.SOURCE_IP));
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
