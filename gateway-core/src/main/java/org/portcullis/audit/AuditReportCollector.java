package org.portcullis.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a trail once, oldest first, into the figures of an {@link AuditReport}. Lines before the period only teach it
 * which networks each user has signed in from ({@link SignInNetwork}); lines in the period are counted. Memory is
 * bounded however hostile the trail: time-ordered lists keep their first {@link AuditReport#MAX_ROWS} rows and count
 * the rest, and the per-user and per-address tallies stop taking new keys at {@link #MAX_KEYS} (an attacker trying a
 * million user names), counting what did not fit under "(others)".
 */
final class AuditReportCollector {
    /** Distinct users, addresses or user-host pairs tallied; more are lumped together. */
    static final int MAX_KEYS = 100_000;
    static final String OTHERS = "(others)";
    static final String ACTION_CLONE_SUSPECTED = "factor.clone_suspected";

    private static final Set<String> ENROLMENT_ACTIONS = Set.of(SignInEvent.ACTION_INVITATION_REDEEM,
            SignInEvent.ACTION_FACTOR_ENROL, SignInEvent.ACTION_RECOVERY_CODE_REGENERATE,
            SignInEvent.ACTION_FACTOR_REMOVE, SignInEvent.ACTION_FACTOR_RENAME);

    private final Instant since;
    private final Instant until;
    private final Map<LocalDate, long[]> days = new LinkedHashMap<>();
    private final Map<String, long[]> byUser = new HashMap<>();
    private final Map<String, long[]> byAddress = new HashMap<>();
    private final Map<String, Set<String>> networks = new HashMap<>();
    private final Map<List<String>, Reaching> reach = new HashMap<>();
    private final Bounded<AuditReport.Suspicious> suspicious = new Bounded<>();
    private final Bounded<AuditReport.Change> enrolments = new Bounded<>();
    private final Bounded<AuditReport.Change> admin = new Bounded<>();
    private final Bounded<AuditReport.Remote> remote = new Bounded<>();
    private long events;
    private long skipped;
    private long lockouts;
    private final long[] factorUse = new long[5];
    private AuditReport.Change lastCoverageCheck;
    private AuditReport.Sealed firstSealed;
    private AuditReport.Sealed lastSealed;
    private final List<String> configHashes = new ArrayList<>();
    private long reloads;
    /** The node whose line is being taken, with several nodes' trails; null for one trail. */
    private String node;

    private static final int SUCCEEDED = 0;
    private static final int FAILED = 1;
    private static final int TOTP = 2;
    private static final int RECOVERY = 3;
    private static final int SIGN_INS = 0;
    private static final int SECOND_FACTORS = 1;
    private static final int LOCKOUTS = 2;

    private static final class Reaching {
        long requests;
        long joins;
        Instant first;
        Instant last;
    }

    private static final class Bounded<T> {
        final List<T> rows = new ArrayList<>();
        long omitted;

        void add(T row) {
            if (rows.size() < AuditReport.MAX_ROWS) {
                rows.add(row);
            } else {
                omitted++;
            }
        }

        AuditReport.Table<T> table() {
            return new AuditReport.Table<>(rows, omitted);
        }
    }

    private AuditReportCollector(Instant since, Instant until) {
        this.since = since;
        this.until = until;
        for (LocalDate day = LocalDate.ofInstant(since, ZoneOffset.UTC);
             day.atStartOfDay().toInstant(ZoneOffset.UTC).isBefore(until); day = day.plusDays(1)) {
            days.put(day, new long[4]);
        }
    }

    static AuditReport collect(List<Path> files, Instant since, Instant until, AuditKey key, Instant generated)
            throws IOException {
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("the period is empty: " + since + " is not before " + until);
        }
        AuditReportCollector collector = new AuditReportCollector(since, until);
        List<Path> history = AuditQuery.filesInRange(files, new AuditFilter(null, until, null, null, null, null,
                null));
        collector.readAll(history);
        List<Path> period = AuditQuery.filesInRange(files, new AuditFilter(since, until, null, null, null, null,
                null));
        AuditVerifier.Result verification = period.isEmpty()
                ? new AuditVerifier.Intact(0, 0, 0, 0, null, false, 0)
                : AuditVerifier.verify(period, key);
        return collector.report(period, generated, verification);
    }

    private void readAll(List<Path> files) throws IOException {
        try (AuditLineReader reader = new AuditLineReader(files)) {
            AuditLineReader.RawLine raw;
            while ((raw = reader.next()) != null) {
                take(raw.terminated() ? AuditLine.parse(raw.bytes(), raw.length()) : null);
            }
        }
    }

    /** One line of the trail, oldest first; null: not a sealed audit line. */
    private void take(AuditLine line) {
        Instant time = line == null ? null : time(line);
        if (time == null) {
            skipped++;
        } else if (time.isBefore(since)) {
            learnNetwork(line);
            coverageCheck(line, time);
        } else if (time.isBefore(until)) {
            events++;
            count(line, time);
            coverageCheck(line, time);
            sealed(line, time);
        }
    }

    /**
     * Several nodes' trails: the lines of all up to the end of the period merged by time (the merge {@code audit
     * query --trail} uses) and taken as one trail's, each node's chain over the period verified on its own.
     */
    static AuditReport collectNodes(List<NodeTrail> trails, Instant since, Instant until, AuditKey key,
                                    Instant generated) throws IOException {
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("the period is empty: " + since + " is not before " + until);
        }
        AuditReportCollector collector = new AuditReportCollector(since, until);
        AuditFilter history = new AuditFilter(null, until, null, null, null, null, null);
        AuditFilter period = new AuditFilter(since, until, null, null, null, null, null);
        AuditFilter everyLine = new AuditFilter(null, null, null, null, null, null, null);
        List<NodeTrail> upToUntil = new ArrayList<>();
        List<AuditReport.NodeCheck> checks = new ArrayList<>();
        List<Path> periodFiles = new ArrayList<>();
        for (NodeTrail trail : trails) {
            upToUntil.add(new NodeTrail(trail.node(), AuditQuery.filesInRange(trail.files(), history)));
            List<Path> files = AuditQuery.filesInRange(trail.files(), period);
            checks.add(new AuditReport.NodeCheck(trail.node(), files, files.isEmpty()
                    ? new AuditVerifier.Intact(0, 0, 0, 0, null, false, 0) : AuditVerifier.verify(files, key)));
            periodFiles.addAll(files);
        }
        AuditQuery.Summary summary = MergedTrails.run(upToUntil, everyLine, (node, line) -> {
            collector.node = node;
            collector.take(line);
        });
        collector.skipped += summary.skipped();
        collector.node = null;
        AuditReport one = collector.report(periodFiles, generated, overall(checks));
        return new AuditReport(one.since(), one.until(), one.generated(), one.files(), one.events(), one.skipped(),
                one.days(), one.totals(), one.failuresByUser(), one.failuresByAddress(), one.suspicious(),
                one.reach(), one.enrolments(), one.adminActions(), one.remote(), one.verification(), one.mfa(), null,
                checks);
    }

    /** The first broken node's result, else one intact result over all nodes. */
    private static AuditVerifier.Result overall(List<AuditReport.NodeCheck> checks) {
        long events = 0;
        int files = 0;
        int recovered = 0;
        boolean fromStart = true;
        for (AuditReport.NodeCheck check : checks) {
            if (!(check.verification() instanceof AuditVerifier.Intact intact)) {
                return check.verification();
            }
            events += intact.events();
            files += intact.files();
            recovered += intact.recovered();
            fromStart &= intact.fromStart();
        }
        return new AuditVerifier.Intact(events, files, 0, 0, null, fromStart && events > 0, recovered);
    }

    private static final int PASSWORD_ONLY = 0;
    private static final int USE_TOTP = 1;
    private static final int USE_WEBAUTHN = 2;
    private static final int USE_PASSKEY = 3;
    private static final int USE_RECOVERY = 4;

    /** The MFA facts of a line in the period: what completed a sign-in, the config a run started with. */
    private void mfa(AuditLine line, String action, boolean success) {
        String reason = line.field(AuditJson.REASON);
        if (!success) {
            return;
        }
        switch (action) {
            case SignInEvent.ACTION_SIGN_IN -> {
                if ("password".equals(reason) || "passkey_one_factor".equals(reason)) {
                    factorUse[PASSWORD_ONLY]++;
                } else if ("passkey_user_verified".equals(reason)) {
                    factorUse[USE_PASSKEY]++;
                }
            }
            case SignInEvent.ACTION_FACTOR_VERIFY -> {
                if ("totp".equals(reason)) {
                    factorUse[USE_TOTP]++;
                } else if ("webauthn".equals(reason)) {
                    factorUse[USE_WEBAUTHN]++;
                }
            }
            case SignInEvent.ACTION_RECOVERY_CODE_USE -> factorUse[USE_RECOVERY]++;
            case GatewayLifecycle.ACTION_START -> {
                String hash = line.field(AuditJson.FILE_SHA256);
                if (hash != null && !configHashes.contains(hash)) {
                    configHashes.add(hash);
                }
            }
            case ConfigReload.ACTION -> reloads++;
            default -> {
            }
        }
    }

    private void coverageCheck(AuditLine line, Instant time) {
        if (AdminCommand.ACTION.equals(line.action())
                && org.portcullis.coverage.CoverageCheck.COMMAND.equals(line.field(AuditJson.REASON))) {
            lastCoverageCheck = new AuditReport.Change(time, AdminCommand.ACTION, line.field(AuditJson.OUTCOME),
                    org.portcullis.coverage.CoverageCheck.COMMAND, line.field(AuditJson.USER), null, null,
                    line.field(AuditJson.DETAIL), node);
        }
    }

    private void sealed(AuditLine line, Instant time) {
        AuditReport.Sealed here = new AuditReport.Sealed(line.sequence(), line.hash(), time);
        if (firstSealed == null) {
            firstSealed = here;
        }
        lastSealed = here;
    }

    private static Instant time(AuditLine line) {
        String text = line.field(AuditJson.TIMESTAMP);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void count(AuditLine line, Instant time) {
        String action = line.action();
        if (action == null) {
            return;
        }
        boolean success = "success".equals(line.field(AuditJson.OUTCOME));
        String user = line.field(AuditJson.USER);
        String ip = line.field(AuditJson.SOURCE_IP);
        String host = line.field(AuditJson.DOMAIN);
        long[] day = days.get(LocalDate.ofInstant(time, ZoneOffset.UTC));
        mfa(line, action, success);
        switch (action) {
            case SignInEvent.ACTION_SIGN_IN -> {
                day[success ? SUCCEEDED : FAILED]++;
                if (success) {
                    newNetwork(line, time);
                } else {
                    tally(user, ip, SIGN_INS);
                }
            }
            case SignInEvent.ACTION_FACTOR_VERIFY, SignInEvent.ACTION_RECOVERY_CODE_USE -> {
                if (!success) {
                    tally(user, ip, SECOND_FACTORS);
                } else if (action.equals(SignInEvent.ACTION_RECOVERY_CODE_USE)) {
                    day[RECOVERY]++;
                } else if ("totp".equals(line.field(AuditJson.REASON))) {
                    day[TOTP]++;
                }
            }
            case SignInEvent.ACTION_FACTOR_REPLAY -> {
                tally(user, ip, SECOND_FACTORS);
                suspicious(time, AuditReport.SuspiciousKind.REPLAY, line, line.field(AuditJson.REASON));
            }
            case ACTION_CLONE_SUSPECTED ->
                    suspicious(time, AuditReport.SuspiciousKind.CLONE, line, line.field(AuditJson.REASON));
            case SignInEvent.ACTION_LOCKOUT -> {
                lockouts++;
                tally(user, ip, LOCKOUTS);
                suspicious(time, AuditReport.SuspiciousKind.LOCKOUT, line, line.field(AuditJson.REASON));
            }
            case AuditRecovered.ACTION -> suspicious(time, AuditReport.SuspiciousKind.RECOVERED, line,
                    line.field(AuditJson.TORN_BYTES) + " bytes cut short in " + line.field(AuditJson.FILE));
            case AccessDecision.ACTION -> {
                if (success && user != null && host != null) {
                    reached(user, host, time).requests++;
                }
            }
            case SignInEvent.ACTION_SESSION_JOIN -> {
                if (success && user != null && host != null) {
                    reached(user, host, time).joins++;
                }
            }
            case RemoteAccess.ACTION_CLOSE -> remote.add(remoteRow(line, time, user, ip, node));
            case AdminCommand.ACTION -> admin.add(new AuditReport.Change(time, action, line.field(AuditJson.OUTCOME),
                    line.field(AuditJson.REASON), user, line.field(AuditJson.TARGET_USER), null,
                    line.field(AuditJson.DETAIL), node));
            case ConfigReload.ACTION -> admin.add(new AuditReport.Change(time, action, line.field(AuditJson.OUTCOME),
                    line.field(AuditJson.REASON), null, line.field(AuditJson.FILE), null,
                    "errors=" + line.field(AuditJson.ERROR_COUNT), node));
            default -> {
                if (ENROLMENT_ACTIONS.contains(action)) {
                    enrolments.add(new AuditReport.Change(time, action, line.field(AuditJson.OUTCOME),
                            line.field(AuditJson.REASON), user, null, ip, null, node));
                }
            }
        }
    }

    private static AuditReport.Remote remoteRow(AuditLine line, Instant time, String user, String ip, String node) {
        Instant opened = parsed(line.field(AuditJson.EVENT_START));
        Instant closed = Optional.ofNullable(parsed(line.field(AuditJson.EVENT_END))).orElse(time);
        return new AuditReport.Remote(opened, closed, user, line.field(AuditJson.PROTOCOL),
                line.field(AuditJson.DESTINATION), ip, line.field(AuditJson.SESSION_HASH),
                line.field(AuditJson.FACTORS), number(line.field(AuditJson.DURATION)) / 1_000_000_000L,
                number(line.field(AuditJson.SOURCE_BYTES)), number(line.field(AuditJson.DESTINATION_BYTES)),
                line.field(AuditJson.REASON), node);
    }

    private static Instant parsed(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void learnNetwork(AuditLine line) {
        if (SignInEvent.ACTION_SIGN_IN.equals(line.action()) && "success".equals(line.field(AuditJson.OUTCOME))) {
            remember(line.field(AuditJson.USER), SignInNetwork.of(line.field(AuditJson.SOURCE_IP)));
        }
    }

    /** A successful sign-in from a network the user has not signed in from before (not their first sign-in). */
    private void newNetwork(AuditLine line, Instant time) {
        String user = line.field(AuditJson.USER);
        String network = SignInNetwork.of(line.field(AuditJson.SOURCE_IP));
        if (user == null || network == null) {
            return;
        }
        Set<String> known = networks.get(user);
        if (known != null && !known.contains(network)) {
            suspicious(time, AuditReport.SuspiciousKind.NEW_NETWORK, line,
                    network + " (before: " + String.join(", ", known.stream().sorted().limit(5).toList())
                            + (known.size() > 5 ? ", …" : "") + ")");
        }
        remember(user, network);
    }

    private void remember(String user, String network) {
        if (user == null || network == null) {
            return;
        }
        Set<String> known = networks.get(user);
        if (known == null) {
            if (networks.size() >= MAX_KEYS) {
                return;
            }
            known = new HashSet<>();
            networks.put(user, known);
        }
        if (known.size() < MAX_KEYS) {
            known.add(network);
        }
    }

    private void suspicious(Instant time, AuditReport.SuspiciousKind kind, AuditLine line, String detail) {
        suspicious.add(new AuditReport.Suspicious(time, kind, line.field(AuditJson.USER),
                line.field(AuditJson.SOURCE_IP), line.field(AuditJson.DOMAIN), detail, node));
    }

    private void tally(String user, String ip, int column) {
        bump(byUser, user, column);
        bump(byAddress, ip, column);
    }

    private static void bump(Map<String, long[]> tallies, String key, int column) {
        String name = key == null ? "" : key;
        long[] counts = tallies.get(name);
        if (counts == null) {
            name = tallies.size() >= MAX_KEYS ? OTHERS : name;
            counts = tallies.computeIfAbsent(name, k -> new long[3]);
        }
        counts[column]++;
    }

    private Reaching reached(String user, String host, Instant time) {
        List<String> key = List.of(user, host);
        Reaching reaching = reach.get(key);
        if (reaching == null) {
            key = reach.size() >= MAX_KEYS ? List.of(OTHERS, OTHERS) : key;
            reaching = reach.computeIfAbsent(key, k -> new Reaching());
        }
        if (reaching.first == null || time.isBefore(reaching.first)) {
            reaching.first = time;
        }
        if (reaching.last == null || time.isAfter(reaching.last)) {
            reaching.last = time;
        }
        return reaching;
    }

    private AuditReport report(List<Path> files, Instant generated, AuditVerifier.Result verification) {
        List<AuditReport.Day> perDay = new ArrayList<>();
        long succeeded = 0;
        long failed = 0;
        long secondFactors = 0;
        for (Map.Entry<LocalDate, long[]> entry : days.entrySet()) {
            long[] c = entry.getValue();
            perDay.add(new AuditReport.Day(entry.getKey(), c[SUCCEEDED], c[FAILED], c[TOTP], c[RECOVERY]));
            succeeded += c[SUCCEEDED];
            failed += c[FAILED];
            secondFactors += c[TOTP] + c[RECOVERY];
        }
        long failedSecondFactors = byUser.values().stream().mapToLong(c -> c[SECOND_FACTORS]).sum();
        AuditReport.Totals totals = new AuditReport.Totals(succeeded, failed, secondFactors, failedSecondFactors,
                lockouts, suspicious.rows.size() + suspicious.omitted);
        List<AuditReport.Reach> reachRows = reach.entrySet().stream()
                .map(e -> new AuditReport.Reach(e.getKey().get(0), e.getKey().get(1), e.getValue().requests,
                        e.getValue().joins, e.getValue().first, e.getValue().last))
                .sorted(Comparator.comparing(AuditReport.Reach::user).thenComparing(AuditReport.Reach::host))
                .toList();
        return new AuditReport(since, until, generated, files, events, skipped, perDay, totals, failures(byUser),
                failures(byAddress), suspicious.table(), limit(reachRows), enrolments.table(), admin.table(),
                remote.table(), verification, new AuditReport.MfaTrail(new AuditReport.FactorUse(
                        factorUse[PASSWORD_ONLY], factorUse[USE_TOTP], factorUse[USE_WEBAUTHN], factorUse[USE_PASSKEY],
                        factorUse[USE_RECOVERY]), lastCoverageCheck, firstSealed, lastSealed, configHashes, reloads),
                null, List.of());
    }

    private static AuditReport.Table<AuditReport.Failures> failures(Map<String, long[]> tallies) {
        List<AuditReport.Failures> rows = tallies.entrySet().stream()
                .map(e -> new AuditReport.Failures(e.getKey().isEmpty() ? null : e.getKey(), e.getValue()[SIGN_INS],
                        e.getValue()[SECOND_FACTORS], e.getValue()[LOCKOUTS]))
                .sorted(Comparator.comparingLong(AuditReport.Failures::total).reversed()
                        .thenComparing(f -> f.key() == null ? "" : f.key()))
                .toList();
        return limit(rows);
    }

    private static <T> AuditReport.Table<T> limit(List<T> rows) {
        return rows.size() <= AuditReport.MAX_ROWS ? new AuditReport.Table<>(rows, 0)
                : new AuditReport.Table<>(rows.subList(0, AuditReport.MAX_ROWS), rows.size() - AuditReport.MAX_ROWS);
    }
}
