package org.portcullis.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.audit.AuditFilter;
import org.portcullis.audit.AuditQuery;
import org.portcullis.audit.MergedTrails;
import org.portcullis.audit.NodeTrail;
import org.portcullis.config.Cidr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit query [FILE…|--config FILE] [--since T] [--until T] [--user U]… [--event A]…
 * [--outcome success|failure|challenge] [--host H]… [--ip CIDR] [--format table|json|csv]}: prints the matching lines of the
 * trail, oldest first, streaming over rotated and gzip-compressed files. It does not check the chain (that is
 * {@code audit verify}); lines that are not audit lines are skipped and counted on stderr.
 *
 * <p>Times: {@code 2026-11-01} (a UTC day: as {@code --since} its start, as {@code --until} its end, so
 * {@code --since 2026-11-01 --until 2026-11-30} is all of November), an instant {@code 2026-11-01T08:00:00Z}, or an
 * age {@code 30d}, {@code 12h}, {@code 15m} before now.
 *
 * <p>Exit codes: {@value #EXIT_OK} done (also when nothing matched), {@value #EXIT_BAD_INPUT} bad input.
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the audit events that match, oldest first.",
        footer = {"", "TIME: 2026-11-01 (a UTC day), 2026-11-01T08:00:00Z, or an age such as 30d, 12h, 15m.",
                "Exit codes: 0 done (also when nothing matched), 2 bad input."})
final class AuditQueryCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BAD_INPUT = 2;

    private static final Pattern AGE = Pattern.compile("([1-9][0-9]{0,5})([dhm])");

    /** The output formats of {@code --format}. */
    enum Format { table, json, csv }

    @Spec
    CommandSpec spec;

    @Mixin
    AuditTrailOptions trail;

    @Option(names = "--trail", paramLabel = "FILE",
            description = {"A node's active audit file (its rotated files are read too); repeat it for every node of a",
                "cluster: the matching events of all nodes are printed merged by time."})
    List<Path> trails = new java.util.ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", description = "Only events at or after TIME.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only events before TIME (a day: up to its end).")
    String until;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Only events of this user: user.name or user.target.name, any case (repeatable).")
    List<String> users = List.of();

    @Option(names = "--event", paramLabel = "ACTION",
            description = "Only this event.action, e.g. user.sign_in, access.decision (repeatable).")
    List<String> events = List.of();

    @Option(names = "--outcome", paramLabel = "success|failure|challenge",
            description = "Only this outcome; challenge: sent to sign in or to a second factor (written as failure),"
                    + " which failure leaves out.")
    String outcome;

    @Option(names = "--host", paramLabel = "HOST", description = "Only this url.domain (repeatable).")
    List<String> hosts = List.of();

    @Option(names = "--ip", paramLabel = "CIDR", description = "Only a source.ip in this network, e.g. 10.0.0.0/8.")
    String ip;

    @Option(names = "--format", paramLabel = "table|json|csv", description = "Output format (default: table).")
    Format format = Format.table;

    private final Clock clock;

    AuditQueryCommand() {
        this(Clock.systemUTC());
    }

    AuditQueryCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            AuditFilter filter = filter(err);
            if (filter == null) {
                return EXIT_BAD_INPUT;
            }
            if (!trails.isEmpty()) {
                if (!trail.files.isEmpty() || trail.config != null) {
                    err.println("error: give --trail FILE (repeated, one per node) without FILE… or --config");
                    return EXIT_BAD_INPUT;
                }
                return runMerged(filter, err);
            }
            AuditTrailOptions.Resolved resolved = trail.resolve(err);
            if (resolved == null) {
                return EXIT_BAD_INPUT;
            }
            List<Path> files = resolved.files();
            return run(output -> AuditQuery.run(files, filter, output), err);
        } finally {
            err.flush();
        }
    }

    /** Where the lines come from: one trail read in order, or several nodes' matching lines merged by time. */
    @FunctionalInterface
    private interface Source {
        AuditQuery.Summary feed(AuditQuery.Output output) throws IOException;
    }

    /**
     * Several nodes' trails (issue 18): each is read in its own order and the matching lines of all are merged by
     * their {@code @timestamp} ({@link MergedTrails}, the merge {@code audit report --trail} uses too), then printed
     * as from one trail.
     */
    private int runMerged(AuditFilter filter, PrintWriter err) {
        List<NodeTrail> nodes = new java.util.ArrayList<>();
        try {
            for (Path active : trails) {
                List<Path> files = org.portcullis.audit.AuditFiles.trail(active);
                if (files.isEmpty()) {
                    err.println("error: no audit files at " + active);
                    return EXIT_BAD_INPUT;
                }
                nodes.add(new NodeTrail(NodeTrails.nodeOf(files, active), files));
            }
        } catch (IOException e) {
            err.println("error: cannot read the audit trail: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        return run(output -> MergedTrails.run(nodes, filter, (node, line) -> output.accept(line)), err);
    }

    private int run(Source source, PrintWriter err) {
        // Large results: write through a buffer, not line by line through the PrintWriter's autoflush.
        Writer out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
        AuditLineFormat lineFormat = AuditLineFormat.of(format);
        try {
            if (lineFormat.measures()) {
                source.feed(lineFormat::measure);
            }
            lineFormat.header(out);
            AuditQuery.Summary summary = source.feed(line -> lineFormat.line(line, out));
            out.flush();
            spec.commandLine().getOut().flush();
            if (format == Format.table) {
                err.println(summary.matched() + (summary.matched() == 1 ? " event" : " events") + " of "
                        + summary.read() + " matched");
            }
            if (summary.skipped() > 0) {
                err.println("warning: " + summary.skipped() + " lines are not audit lines and were skipped "
                        + "(run 'portcullis audit verify')");
            }
            return EXIT_OK;
        } catch (IOException e) {
            err.println("error: cannot read the audit trail: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
    }

    /** The filter from the options, or null after naming the bad option on {@code err}. */
    AuditFilter filter(PrintWriter err) {
        Instant from = null;
        Instant to = null;
        if (since != null && (from = time("--since", since, false, err)) == null) {
            return null;
        }
        if (until != null && (to = time("--until", until, true, err)) == null) {
            return null;
        }
        if (outcome != null && !AuditFilter.OUTCOMES.contains(outcome)) {
            err.println("error: --outcome: '" + printable(outcome) + "' is not an outcome (allowed: "
                    + String.join(", ", AuditFilter.OUTCOMES) + ")");
            return null;
        }
        Cidr network = null;
        if (ip != null) {
            try {
                network = Cidr.parse(ip);
            } catch (IllegalArgumentException e) {
                err.println("error: --ip: '" + printable(ip) + "' is not a CIDR: " + e.getMessage());
                return null;
            }
        }
        Set<String> lowerHosts = new LinkedHashSet<>();
        hosts.forEach(h -> lowerHosts.add(h.toLowerCase(Locale.ROOT)));
        return new AuditFilter(from, to, Set.copyOf(users), Set.copyOf(events), outcome, lowerHosts, network);
    }

    private Instant time(String option, String text, boolean endOfDay, PrintWriter err) {
        return parseTime(option, text, endOfDay, clock, err);
    }

    /**
     * {@code TIME} as the audit commands take it: a UTC day (its start, or with {@code endOfDay} the start of the
     * next day), an instant, or an age before {@code clock}'s now; null after naming the option on {@code err}.
     */
    static Instant parseTime(String option, String text, boolean endOfDay, Clock clock, PrintWriter err) {
        Matcher age = AGE.matcher(text);
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            long seconds = switch (age.group(2)) {
                case "d" -> amount * 86_400;
                case "h" -> amount * 3_600;
                default -> amount * 60;
            };
            return clock.instant().minusSeconds(seconds);
        }
        try {
            LocalDate day = LocalDate.parse(text);
            return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a day; try an instant
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            err.println("error: " + option + ": '" + printable(text) + "' is not a time (allowed: 2026-11-01, "
                    + "2026-11-01T08:00:00Z, or an age such as 30d, 12h, 15m)");
            return null;
        }
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
