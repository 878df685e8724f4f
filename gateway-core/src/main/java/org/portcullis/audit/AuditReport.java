package org.portcullis.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The figures of {@code portcullis audit report} over one period (docs/audit-log.md, "Report"), read from the trail
 * by {@link #read} and rendered by {@link AuditReportHtml}. Every list is in the order the report shows it and holds at
 * most {@link #MAX_ROWS} rows; the {@code …Omitted} counts say how many more there were (the report says so, and
 * {@code audit query} lists them).
 *
 * @param since       first instant of the period (included)
 * @param until       end of the period (excluded)
 * @param generated   when the report was made
 * @param files       the files read for the period
 * @param events      sealed lines whose time lies in the period
 * @param skipped     lines of those files that are not sealed audit lines
 * @param days        one entry per UTC day of the period, oldest first
 * @param verification the chain check over {@link #files}
 * @param mfa         the trail's MFA facts for the period (factor use, last coverage check, sealed range)
 * @param coverage    what the config says about MFA coverage, or null when the report was made without a config
 * @param nodes       with several nodes' trails ({@link #readNodes}): each node's own chain check, in the order given;
 *                    empty for one trail. {@link #verification} is then the first broken node's, else all intact
 */
public record AuditReport(Instant since, Instant until, Instant generated, List<Path> files, long events,
                          long skipped, List<Day> days, Totals totals, Table<Failures> failuresByUser,
                          Table<Failures> failuresByAddress, Table<Suspicious> suspicious, Table<Reach> reach,
                          Table<Change> enrolments, Table<Change> adminActions, Table<Remote> remote,
                          AuditVerifier.Result verification, MfaTrail mfa,
                          org.portcullis.coverage.MfaCoverage coverage, List<NodeCheck> nodes) {

    /** Rows per table; beyond that the report names the count and points to {@code audit query}. */
    public static final int MAX_ROWS = 500;

    public AuditReport {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        files = List.copyOf(files);
        days = List.copyOf(days);
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(mfa, "mfa");
        nodes = List.copyOf(nodes);
    }

    /** Whether the report is over several nodes' trails (its rows then name their node). */
    public boolean clustered() {
        return !nodes.isEmpty();
    }

    /**
     * One node's chain check over the files that hold the period.
     *
     * @param node         the node id
     * @param files        its files read for the period
     * @param verification its chain, verified on its own (each node seals its own)
     */
    public record NodeCheck(String node, List<Path> files, AuditVerifier.Result verification) {
        public NodeCheck {
            Objects.requireNonNull(node, "node");
            files = List.copyOf(files);
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** This report with the config's coverage (the trail alone does not know the systems or the register). */
    public AuditReport withCoverage(org.portcullis.coverage.MfaCoverage other) {
        return new AuditReport(since, until, generated, files, events, skipped, days, totals, failuresByUser,
                failuresByAddress, suspicious, reach, enrolments, adminActions, remote, verification, mfa, other, nodes);
    }

    /**
     * What the trail shows about MFA in the period.
     *
     * @param use               completed sign-ins by the factor that finished them
     * @param lastCoverageCheck the latest {@code coverage.check} up to the end of the period (also before it), or null
     * @param first             the period's first sealed line, or null when it has none
     * @param last              the period's last sealed line, or null
     * @param configHashes      the config SHA-256 of every {@code gateway.start} in the period
     * @param reloads           config reloads applied in the period (their config hash is not in the trail)
     */
    public record MfaTrail(FactorUse use, Change lastCoverageCheck, Sealed first, Sealed last,
                           List<String> configHashes, long reloads) {
        public MfaTrail {
            Objects.requireNonNull(use, "use");
            configHashes = List.copyOf(configHashes);
        }
    }

    /**
     * Sign-ins by the factor that completed them: a password with nothing after it (one factor), or a second factor
     * (TOTP code, security key, a passkey with user verification, recovery code).
     */
    public record FactorUse(long passwordOnly, long totp, long webauthn, long passkey, long recoveryCodes) {
        public long total() {
            return passwordOnly + totp + webauthn + passkey + recoveryCodes;
        }
    }

    /** One sealed line: its sequence number, hash and time. */
    public record Sealed(long sequence, String hash, Instant time) {
    }
    /**
     * Reads the trail {@code files} (oldest first): the period's figures from the lines in {@code [since, until)},
     * the networks each user signed in from before from every earlier line, and the hash chain of the files that
     * hold the period under {@code key}.
     */
    public static AuditReport read(List<Path> files, Instant since, Instant until, AuditKey key, Instant generated)
            throws IOException {
        return AuditReportCollector.collect(files, since, until, key, generated);
    }

    /**
     * Reads several nodes' trails together (issue 18): each node's chain is verified on its own, and the events of
     * all are merged by time ({@link MergedTrails}) and counted as one trail's; listed events name their node.
     */
    public static AuditReport readNodes(List<NodeTrail> trails, Instant since, Instant until, AuditKey key,
                                        Instant generated) throws IOException {
        return AuditReportCollector.collectNodes(trails, since, until, key, generated);
    }

    /** Rows of one table, at most {@link #MAX_ROWS}, and how many more there were. */
    public record Table<T>(List<T> rows, long omitted) {
        public Table {
            rows = List.copyOf(rows);
        }
    }

    /** One UTC day's sign-ins and second factors. */
    public record Day(LocalDate day, long signInsSucceeded, long signInsFailed, long totp, long recoveryCodes) {
    }

    /** The period's totals. */
    public record Totals(long signInsSucceeded, long signInsFailed, long secondFactors, long failedSecondFactors,
                         long lockouts, long suspicious) {
    }

    /**
     * Failures for one user or one address.
     *
     * @param key             the user name or the address (null: none recorded)
     * @param signIns         failed sign-ins (wrong password, unknown user, locked, …)
     * @param secondFactors   refused second factors (wrong code, replay, wrong recovery code)
     * @param lockouts        lockouts started
     */
    public record Failures(String key, long signIns, long secondFactors, long lockouts) {
        public long total() {
            return signIns + secondFactors + lockouts;
        }
    }

    /** What makes an event suspicious. */
    public enum SuspiciousKind {
        REPLAY("replayed second-factor code"),
        CLONE("suspected cloned authenticator"),
        LOCKOUT("lockout"),
        NEW_NETWORK("sign-in from a new network"),
        RECOVERED("audit trail recovered after a crash");

        private final String label;

        SuspiciousKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One suspicious event; {@code detail} says what (the new network, the lockout's kind); {@code node} the node
     * whose trail holds it (null for one trail), as on the other listed rows.
     */
    public record Suspicious(Instant time, SuspiciousKind kind, String user, String source, String host,
                             String detail, String node) {
    }

    /**
     * A user who reached a system (host): allowed requests (written only with {@code audit.log_allowed: true}) and
     * single sign-on joins.
     */
    public record Reach(String user, String host, long requests, long joins, Instant first, Instant last) {
    }

    /**
     * A long-lived stream (tunnel, remote desktop) that ended in the period: who had it open, from where, when, how
     * long, how much went through and why it ended ({@code remote.close}).
     */
    public record Remote(Instant opened, Instant closed, String user, String kind, String target, String source,
                         String session, String factors, long durationSeconds, long bytesFromClient,
                         long bytesToClient, String reason, String node) {
    }

    /** An enrolment, reset, admin command or config reload, as the trail has it. */
    public record Change(Instant time, String action, String outcome, String reason, String user, String target,
                         String source, String detail, String node) {
    }
}
