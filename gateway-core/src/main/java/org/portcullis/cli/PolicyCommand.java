package org.portcullis.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis policy …}: tools for the access policy; today only {@link PolicyCheckCommand check}. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Inspect and test the access policy of a config file.",
        subcommands = PolicyCheckCommand.class)
public final class PolicyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a sub-command: print the usage and fail as bad input. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return PolicyCheckCommand.EXIT_BAD_INPUT;
    }
}
