package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.portcullis.audit.AuditFiles;
import org.portcullis.audit.AuditKey;
import org.portcullis.audit.AuditReport;
import org.portcullis.audit.AuditReportHtml;
import org.portcullis.audit.AuditVerifier;
import org.portcullis.audit.NodeTrail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit report [FILE…|--config FILE|--trail FILE…] [--since TIME] [--until TIME] --out report.html
 * [--key env:NAME|file:PATH]}: writes one self-contained HTML page for auditors ({@link AuditReportHtml}) over the
 * period, with the result of checking the hash chain of the files that hold it. With {@code --trail} once per node of
 * a cluster (issue 18), each node's chain is checked on its own and the events of all are merged by time.
 *
 * <p>The page is written to a temporary file beside {@code --out} and renamed over it, so a reader never sees half a
 * report. Exit codes: {@value #EXIT_OK} written and the chain intact, {@value #EXIT_BROKEN} written but the chain is
 * broken (the page says where), {@value #EXIT_BAD_INPUT} bad input, nothing written.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write an HTML report of the audit trail over a period, for auditors.",
        footer = {"", "TIME: 2026-11-01 (a UTC day), 2026-11-01T08:00:00Z, or an age such as 30d, 12h, 15m.",
                "A cluster: --trail FILE once per node (its active audit file); each node's chain is checked on its",
                "own, the events of all nodes are merged by time, and listed events name their node.",
                "Exit codes: 0 written and the chain intact (every node's), 1 written but a chain is broken, 2 bad "
                        + "input."})
final class AuditReportCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BROKEN = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final String DEFAULT_SINCE = "30d";

    @Spec
    CommandSpec spec;

    @Mixin
    AuditTrailOptions trail;

    @Option(names = "--trail", paramLabel = "FILE",
            description = {"A node's active audit file (its rotated files are read too); repeat it for every node of a",
                "cluster: each chain verified on its own, the events of all nodes merged by time."})
    List<Path> trails = new java.util.ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", description = "Start of the period (default: 30d, 30 days ago).")
    String since = DEFAULT_SINCE;

    @Option(names = "--until", paramLabel = "TIME", description = "End of the period (a day: up to its end; "
            + "default: now).")
    String until;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The HTML file to write.")
    Path out;

    @Option(names = "--key", paramLabel = "env:NAME|file:PATH",
            description = "Where the audit key is: an environment variable or a file (as audit.key in the config).")
    String key;

    /** The environment, replaceable in tests. */
    Function<String, String> environment = System::getenv;

    private final Clock clock;

    AuditReportCommand() {
        this(Clock.systemUTC());
    }

    AuditReportCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant now = clock.instant();
            Instant from = AuditQueryCommand.parseTime("--since", since, false, clock, err);
            Instant to = until == null ? now : AuditQueryCommand.parseTime("--until", until, true, clock, err);
            if (from == null || to == null) {
                return EXIT_BAD_INPUT;
            }
            if (!from.isBefore(to)) {
                err.println("error: --since " + from + " is not before --until " + to);
                return EXIT_BAD_INPUT;
            }
            AuditReport report;
            if (!trails.isEmpty()) {
                report = clusterReport(from, to, now, err);
            } else {
                report = oneTrailReport(from, to, now, err);
            }
            if (report == null) {
                return EXIT_BAD_INPUT;
            }
            try {
                writeAtomically(report);
            } catch (IOException e) {
                err.println("error: --out: cannot write " + out + ": " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            boolean intact = report.verification() instanceof AuditVerifier.Intact;
            stdout.println("wrote " + out + ": " + report.events() + (report.events() == 1 ? " event" : " events")
                    + " from " + from + " to " + to + "; " + chains(report));
            return intact ? EXIT_OK : EXIT_BROKEN;
        } finally {
            stdout.flush();
            err.flush();
        }
    }

    /** The report of one trail (FILE… or --config), or null after saying what is wrong on {@code err}. */
    private AuditReport oneTrailReport(Instant from, Instant to, Instant now, PrintWriter err) {
        AuditTrailOptions.Resolved resolved = trail.resolve(err);
        if (resolved == null) {
            return null;
        }
        AuditKey auditKey = AuditVerifyCommand.readKey(key, resolved.audit(), environment, err);
        if (auditKey == null) {
            return null;
        }
        try {
            AuditReport report = AuditReport.read(resolved.files(), from, to, auditKey, now);
            if (resolved.config() != null) {
                report = report.withCoverage(org.portcullis.coverage.MfaCoverage.of(resolved.config(), now));
            }
            return report;
        } catch (IOException e) {
            err.println("error: cannot read the audit trail: " + e.getMessage());
            return null;
        }
    }

    /** Several nodes' trails (--trail, repeated), or null after saying what is wrong on {@code err}. */
    private AuditReport clusterReport(Instant from, Instant to, Instant now, PrintWriter err) {
        if (!trail.files.isEmpty() || trail.config != null) {
            err.println("error: give --trail FILE (repeated, one per node) without FILE… or --config");
            return null;
        }
        AuditKey auditKey = AuditVerifyCommand.readKey(key, null, environment, err);
        if (auditKey == null) {
            return null;
        }
        List<NodeTrail> nodes = new java.util.ArrayList<>();
        try {
            for (Path active : trails) {
                List<Path> files = AuditFiles.trail(active);
                if (files.isEmpty()) {
                    err.println("error: no audit files at " + active);
                    return null;
                }
                nodes.add(new NodeTrail(NodeTrails.nodeOf(files, active), files));
            }
            return AuditReport.readNodes(nodes, from, to, auditKey, now);
        } catch (IOException e) {
            err.println("error: cannot read the audit trail: " + e.getMessage());
            return null;
        }
    }

    /** "chain OK", or per node with several nodes' trails ("chains: node-1 OK, node-2 BROKEN …"). */
    private static String chains(AuditReport report) {
        if (!report.clustered()) {
            return "chain " + (report.verification() instanceof AuditVerifier.Intact ? "OK" : "BROKEN (see the report)");
        }
        StringBuilder text = new StringBuilder("chains:");
        for (AuditReport.NodeCheck check : report.nodes()) {
            text.append(text.length() > 7 ? ", " : " ").append(check.node()).append(' ')
                    .append(check.verification() instanceof AuditVerifier.Intact ? "OK" : "BROKEN (see the report)");
        }
        return text.toString();
    }

    private void writeAtomically(AuditReport report) throws IOException {
        Path target = out.toAbsolutePath();
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                AuditReportHtml.write(report, writer);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
