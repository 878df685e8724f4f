package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.portcullis.audit.AuditAnchors;
import org.portcullis.audit.AuditFiles;
import org.portcullis.audit.AuditKey;
import org.portcullis.audit.AuditLineReader;
import org.portcullis.audit.AuditVerifier;
import org.portcullis.config.AuditConfig;
import org.portcullis.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit verify [FILE…] (--key env:NAME|file:PATH | --config FILE)}: checks the hash chain of the
 * trail and prints {@code OK: N events …} or the first broken place and what happened there
 * ({@link AuditVerifier.Kind}). The key is never taken from the command line itself, where {@code ps} and the shell
 * history would show it.
 *
 * <p>Exit codes: {@value #EXIT_OK} intact, {@value #EXIT_BROKEN} broken, {@value #EXIT_BAD_INPUT} bad input (no
 * files, unreadable file or key, bad config).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that no line of the audit trail was edited, deleted, inserted or reordered.",
        footer = {"", "Exit codes: 0 intact, 1 broken (the first break is named), 2 bad input."})
final class AuditVerifyCommand implements java.util.concurrent.Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BROKEN = 1;
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    AuditTrailOptions trail;

    @Option(names = "--key", paramLabel = "env:NAME|file:PATH",
            description = "Where the audit key is: an environment variable or a file (as audit.key in the config).")
    String key;

    @Option(names = "--trail", paramLabel = "FILE",
            description = {"A node's active audit file (its rotated files beside it are read too); repeat it for every",
                "node of a cluster: each trail is verified on its own and reported under its node id."})
    List<Path> trails = new ArrayList<>();

    /** The environment, replaceable in tests. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!trails.isEmpty()) {
                return verifyNodes(out, err);
            }
            AuditTrailOptions.Resolved resolved = trail.resolve(err);
            if (resolved == null) {
                return EXIT_BAD_INPUT;
            }
            AuditConfig audit = resolved.audit();
            List<Path> files = resolved.files();
            AuditKey auditKey = key(audit, err);
            if (auditKey == null) {
                return EXIT_BAD_INPUT;
            }
            AuditAnchors.Anchor anchor;
            String unchecked = null;
            if (resolved.storage() == null) {
                anchor = null;
                unchecked = audit == null ? "the end is not checked against the store's note of it (give --config)"
                        : "the end is not checked: the config has no storage section to note it in";
            } else {
                try (Database store = StoreLocation.of(resolved.storage()).openExisting()) {
                    anchor = new AuditAnchors(store).read(AuditAnchors.trailName(
                            org.portcullis.audit.AuditNode.named(resolved.config()))).orElse(null);
                } catch (RuntimeException e) {
                    err.println("error: cannot read where the trail ended from the store: " + e.getMessage());
                    return EXIT_BAD_INPUT;
                }
                if (anchor == null) {
                    unchecked = "the store has no note of the trail's end yet";
                }
            }
            AuditVerifier.Result result;
            try {
                result = anchor == null ? AuditVerifier.verify(files, auditKey)
                        : AuditVerifier.verify(files, auditKey, anchor.sequence());
                if (result instanceof AuditVerifier.Intact intact && anchor != null) {
                    result = compareWithAnchor(intact, anchor, files.get(files.size() - 1));
                }
            } catch (IOException e) {
                err.println("error: cannot read the audit trail: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (result instanceof AuditVerifier.Broken broken) {
                out.println("BROKEN: " + broken.file() + ":" + broken.line() + ": " + broken.kind().label() + ": "
                        + broken.detail());
                return EXIT_BROKEN;
            }
            AuditVerifier.Intact intact = (AuditVerifier.Intact) result;
            out.println(describe(intact) + endNote(intact, anchor, unchecked) + runsNote(intact.runs()));
            return EXIT_OK;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Several nodes' trails (issue 18): each chain is verified on its own, since each node seals its own, and one line
     * per node says {@code NODE: OK: …} or {@code NODE: BROKEN: FILE:LINE: …}; broken if any is.
     */
    private int verifyNodes(PrintWriter out, PrintWriter err) {
        if (!trail.files.isEmpty() || trail.config != null) {
            err.println("error: give --trail FILE (repeated, one per node) without FILE… or --config");
            return EXIT_BAD_INPUT;
        }
        AuditKey auditKey = key(null, err);
        if (auditKey == null) {
            return EXIT_BAD_INPUT;
        }
        boolean broken = false;
        for (Path active : trails) {
            List<Path> files;
            try {
                files = AuditFiles.trail(active);
                if (files.isEmpty()) {
                    err.println("error: no audit files at " + active);
                    return EXIT_BAD_INPUT;
                }
                String node = NodeTrails.nodeOf(files, active);
                AuditVerifier.Result result = AuditVerifier.verify(files, auditKey);
                if (result instanceof AuditVerifier.Broken b) {
                    broken = true;
                    out.println(node + ": BROKEN: " + b.file() + ":" + b.line() + ": " + b.kind().label() + ": "
                            + b.detail());
                } else {
                    AuditVerifier.Intact intact = (AuditVerifier.Intact) result;
                    out.println(node + ": " + describe(intact) + runsNote(intact.runs()));
                }
            } catch (IOException e) {
                err.println("error: cannot read the audit trail " + active + ": " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
        }
        return broken ? EXIT_BROKEN : EXIT_OK;
    }

    static String describe(AuditVerifier.Intact intact) {
        StringBuilder text = new StringBuilder("OK: ").append(intact.events())
                .append(intact.events() == 1 ? " event" : " events").append(" in ").append(intact.files())
                .append(intact.files() == 1 ? " file" : " files");
        if (intact.events() > 0) {
            text.append(", sequence ").append(intact.firstSequence()).append(" to ").append(intact.lastSequence());
            text.append(intact.fromStart() ? " (from the start of the trail)"
                    : " (earlier files not given: the first line's link to them is not checked)");
        }
        if (intact.recovered() > 0) {
            text.append(", ").append(intact.recovered()).append(intact.recovered() == 1 ? " torn line" : " torn lines")
                    .append(" recovered after a crash");
        }
        if (intact.lastHash() != null) {
            text.append("; last hash ").append(intact.lastHash());
        }
        return text.toString();
    }

    /**
     * The chain is intact; does it still reach the end the store noted? Lines removed from the end leave a valid,
     * shorter chain, so this is the only check that sees them.
     */
    static AuditVerifier.Result compareWithAnchor(AuditVerifier.Intact intact, AuditAnchors.Anchor anchor,
                                                  Path lastFile) throws IOException {
        String noted = "sequence " + anchor.sequence() + " (hash " + anchor.hash().substring(0, 16) + "…) noted at "
                + anchor.recorded();
        if (intact.lastSequence() < anchor.sequence()) {
            long missing = anchor.sequence() - intact.lastSequence();
            return new AuditVerifier.Broken(AuditVerifier.Kind.TRUNCATED, lastFile, lineCount(lastFile) + 1,
                    "the trail ends at sequence " + intact.lastSequence() + " but the store has " + noted + ": the "
                    + (missing == 1 ? "newest line is" : "newest " + missing + " lines are") + " missing");
        }
        if (!anchor.hash().equals(intact.hashAtAsked())) {
            return new AuditVerifier.Broken(AuditVerifier.Kind.TRUNCATED, lastFile, lineCount(lastFile),
                    "the line with sequence " + anchor.sequence() + " is not the one the store has (" + noted
                    + "): the trail was cut and rewritten from there");
        }
        return intact;
    }

    private static long lineCount(Path file) throws IOException {
        long lines = 0;
        try (AuditLineReader reader = new AuditLineReader(List.of(file))) {
            while (reader.next() != null) {
                lines++;
            }
        }
        return lines;
    }

    private static String endNote(AuditVerifier.Intact intact, AuditAnchors.Anchor anchor, String unchecked) {
        if (anchor == null) {
            return "; " + unchecked;
        }
        long newer = intact.lastSequence() - anchor.sequence();
        return "; the end matches the store's note (sequence " + anchor.sequence() + " at " + anchor.recorded() + ")"
                + (newer > 0 ? " and " + newer + (newer == 1 ? " line follows" : " lines follow")
                + " that were written after it" : "");
    }

    /** Starts, clean stops and crashes, from the trail's gateway.start and gateway.stop lines. */
    static String runsNote(AuditVerifier.Runs runs) {
        if (runs.starts() == 0 && runs.stops() == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder("; gateway runs: ").append(runs.starts())
                .append(runs.starts() == 1 ? " start, " : " starts, ").append(runs.stops())
                .append(runs.stops() == 1 ? " clean stop" : " clean stops");
        if (!runs.crashes().isEmpty()) {
            text.append(", ").append(runs.crashes().size()).append(runs.crashes().size() == 1 ? " crash" : " crashes")
                    .append(" (no gateway.stop before the start at sequence ")
                    .append(runs.crashes().stream().map(String::valueOf).collect(java.util.stream.Collectors
                            .joining(", "))).append(")");
        }
        text.append(runs.endsWithStop() ? "; the last run stopped cleanly"
                : "; the last run has no gateway.stop yet (running, or crashed)");
        return text.toString();
    }

    private AuditKey key(AuditConfig audit, PrintWriter err) {
        return readKey(key, audit, environment, err);
    }

    /**
     * The audit key from {@code --key env:NAME|file:PATH}, else from the config's {@code audit.key}; null after saying
     * what is wrong on {@code err} (never the key itself). Shared by {@code verify} and {@code report}.
     */
    static AuditKey readKey(String key, AuditConfig audit, Function<String, String> environment, PrintWriter err) {
        String text;
        if (key == null) {
            if (audit == null) {
                err.println("error: give --key env:NAME or --key file:PATH (or --config FILE)");
                return null;
            }
            text = audit.keyText();
        } else if (key.startsWith("env:")) {
            text = environment.apply(key.substring("env:".length()));
            if (text == null) {
                err.println("error: --key: environment variable " + key.substring("env:".length()) + " is not set");
                return null;
            }
        } else if (key.startsWith("file:")) {
            Path file = Path.of(key.substring("file:".length()));
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: --key: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        } else {
            err.println("error: --key must be env:NAME or file:PATH; the key itself is not accepted on the command "
                    + "line, where ps and the shell history would show it");
            return null;
        }
        try {
            return AuditKey.fromText(text);
        } catch (IllegalArgumentException e) {
            err.println("error: --key: (redacted, " + text.strip().length() + " chars) is " + e.getMessage());
            return null;
        }
    }
}
