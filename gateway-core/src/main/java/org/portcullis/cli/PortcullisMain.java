package org.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./portcullis}: lists and dispatches the sub-commands. */
@Command(
        name = "portcullis",
        mixinStandardHelpOptions = true,
        version = "Portcullis 0.1.0",
        description = "MFA enforcement gateway for health and care endpoints.",
        subcommands = {CommandLine.HelpCommand.class})
public final class PortcullisMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new PortcullisMain());
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
