package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.portcullis.audit.AuditKey;
import org.portcullis.audit.AuditReport;
import org.portcullis.audit.EvidenceHtml;
import org.portcullis.audit.EvidenceJson;
import org.portcullis.audit.EvidencePack;
import org.portcullis.coverage.MfaCoverage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit evidence --config FILE --period 2026-04-01..2027-03-31 --out DIR}: writes
 * {@code DIR/mfa-evidence.html} (self-contained, no script) and its JSON twin {@code DIR/mfa-evidence.json}
 * ({@link EvidencePack}), made only from the config and the sealed trail it names. Each file is written beside its
 * final name and renamed over it. Exit codes: {@value #EXIT_OK} written and the chain intact, {@value #EXIT_BROKEN}
 * written but the chain is broken (the pack says so), {@value #EXIT_BAD_INPUT} bad input, nothing written.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the MFA evidence for a toolkit submission (HTML and JSON) over a period.",
        footer = {"", "PERIOD: FIRST..LAST, two UTC days, both included (2026-04-01..2027-03-31).",
                "Exit codes: 0 written and the chain intact, 1 written but the chain is broken, 2 bad input."})
final class AuditEvidenceCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BROKEN = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final String HTML = "mfa-evidence.html";
    static final String JSON = "mfa-evidence.json";

    @Spec
    CommandSpec spec;

    @Mixin
    AuditTrailOptions trail;

    @Option(names = "--period", paramLabel = "FIRST..LAST", required = true, description = "The period, two UTC days.")
    String period;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The directory to write into.")
    Path out;

    @Option(names = "--key", paramLabel = "env:NAME|file:PATH",
            description = "Where the audit key is: an environment variable or a file (as audit.key in the config).")
    String key;

    Function<String, String> environment = System::getenv;

    private final Clock clock;

    AuditEvidenceCommand() {
        this(Clock.systemUTC());
    }

    AuditEvidenceCommand(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Instant[] range = parsePeriod(err);
            if (range == null) {
                return EXIT_BAD_INPUT;
            }
            if (trail.config == null) {
                err.println("error: evidence needs --config FILE: the protected systems and the exception register "
                        + "come from the config");
                return EXIT_BAD_INPUT;
            }
            AuditTrailOptions.Resolved resolved = trail.resolve(err);
            if (resolved == null) {
                return EXIT_BAD_INPUT;
            }
            AuditKey auditKey = AuditVerifyCommand.readKey(key, resolved.audit(), environment, err);
            if (auditKey == null) {
                return EXIT_BAD_INPUT;
            }
            Instant now = clock.instant();
            EvidencePack pack;
            try {
                String sha256 = sha256(trail.config);
                AuditReport report = AuditReport.read(resolved.files(), range[0], range[1], auditKey, now)
                        .withCoverage(MfaCoverage.of(resolved.config(), now));
                pack = EvidencePack.build(trail.config.toAbsolutePath(), sha256, report);
            } catch (IOException e) {
                err.println("error: cannot read the audit trail or config: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            try {
                Files.createDirectories(out);
                writeAtomically(out.resolve(HTML), EvidenceHtml.render(pack));
                writeAtomically(out.resolve(JSON), EvidenceJson.render(pack));
            } catch (IOException e) {
                err.println("error: --out: cannot write into " + out + ": " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            long gaps = pack.assertions().stream().mapToLong(a -> a.gaps().size()).sum();
            stdout.println("wrote " + out.resolve(HTML) + " and " + JSON + ": " + pack.assertions().size()
                    + " assertions, " + gaps + (gaps == 1 ? " gap" : " gaps") + "; chain "
                    + (pack.intact() ? "OK" : "BROKEN (see the evidence)"));
            return pack.intact() ? EXIT_OK : EXIT_BROKEN;
        } finally {
            stdout.flush();
            err.flush();
        }
    }

    /** [start, end) of FIRST..LAST, both days included; null after saying what is wrong. */
    private Instant[] parsePeriod(PrintWriter err) {
        int dots = period.indexOf("..");
        try {
            if (dots < 0) {
                throw new DateTimeParseException("no ..", period, 0);
            }
            LocalDate first = LocalDate.parse(period.substring(0, dots));
            LocalDate last = LocalDate.parse(period.substring(dots + 2));
            if (last.isBefore(first)) {
                err.println("error: --period: " + last + " is before " + first);
                return null;
            }
            return new Instant[] {first.atStartOfDay().toInstant(ZoneOffset.UTC),
                    last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)};
        } catch (DateTimeParseException e) {
            err.println("error: --period '" + period + "' is not FIRST..LAST (e.g. 2026-04-01..2027-03-31)");
            return null;
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("AuditEvidenceCommand: no SHA-256", e);
        }
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
