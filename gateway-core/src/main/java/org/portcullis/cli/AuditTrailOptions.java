package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.audit.AuditFiles;
import org.portcullis.config.AuditConfig;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.StorageConfig;
import org.portcullis.config.LoadedConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The trail an {@code audit} command reads: the files given, oldest first, or with {@code --config} every file of
 * the configured {@code audit.file} (rotated ones by sequence, then the active one).
 */
final class AuditTrailOptions {

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Audit files, oldest first (a shell glob such as audit*.jsonl* gives that order).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read audit.file (and audit.key) from this config: every file of the trail, in order.")
    Path config;

    /**
     * The audit section and storage section (null without {@code --config}; storage also null when the config has
     * none) and the files to read.
     */
    record Resolved(AuditConfig audit, StorageConfig storage, List<Path> files, GatewayConfig config) {
    }

    /**
     * The configured audit section when {@code --config} is given, and the files to read; null after saying what is
     * wrong on {@code err}. Every {@code audit} command starts with this.
     */
    Resolved resolve(PrintWriter err) {
        AuditConfig audit = null;
        StorageConfig storage = null;
        GatewayConfig gateway = null;
        if (config != null) {
            GatewayConfig loaded = configWithAudit(err);
            if (loaded == null) {
                return null;
            }
            audit = loaded.audit();
            storage = loaded.storage();
            gateway = loaded;
        }
        List<Path> trail = trail(audit, err);
        return trail == null ? null : new Resolved(audit, storage, trail, gateway);
    }

    /** The config's audit section, or null after saying why on {@code err}. Only with {@code --config}. */
    AuditConfig auditConfig(PrintWriter err) {
        GatewayConfig loaded = configWithAudit(err);
        return loaded == null ? null : loaded.audit();
    }

    private GatewayConfig configWithAudit(PrintWriter err) {
        LoadedConfig loaded = ConfigLoading.loadOrReport(config, err);
        if (loaded == null) {
            return null;
        }
        if (loaded.config().audit() == null) {
            err.println("error: " + config + " has no audit section (audit.file is where the trail is)");
            return null;
        }
        return loaded.config();
    }

    /** The files to read, or null after saying what is wrong on {@code err}. */
    List<Path> trail(AuditConfig audit, PrintWriter err) {
        if (audit != null && !files.isEmpty()) {
            err.println("error: give either FILE… or --config, not both");
            return null;
        }
        if (audit == null && files.isEmpty()) {
            err.println("error: give the audit files (oldest first) or --config FILE");
            return null;
        }
        List<Path> trail;
        try {
            trail = audit != null ? AuditFiles.trail(audit.file()) : List.copyOf(files);
        } catch (IOException e) {
            err.println("error: cannot list the audit files of " + audit.file() + ": " + e.getMessage());
            return null;
        }
        if (trail.isEmpty()) {
            err.println("error: no audit files at " + audit.file());
            return null;
        }
        for (Path file : trail) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("error: " + file + " is not a readable file");
                return null;
            }
        }
        return trail;
    }
}
