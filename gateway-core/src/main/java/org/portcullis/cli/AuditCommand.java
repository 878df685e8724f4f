package org.portcullis.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis audit …}: check, search and report on the audit trail (docs/audit-log.md). */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verify, search and report on the audit trail.",
        subcommands = {AuditVerifyCommand.class, AuditQueryCommand.class, AuditReportCommand.class,
            AuditEvidenceCommand.class})
public final class AuditCommand implements Callable<Integer> {
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    /** Without a sub-command: print the usage and fail as bad input. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_BAD_INPUT;
    }
}
