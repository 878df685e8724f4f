package org.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./portcullis}: lists and dispatches the sub-commands. */
@Command(
        name = "portcullis",
        mixinStandardHelpOptions = true,
        version = "Portcullis 0.1.0",
        description = "MFA enforcement gateway for health and care endpoints.",
        subcommands = {
            RunCommand.class,
            ConfigCommand.class,
            PolicyCommand.class,
            DemoCommand.class,
            SessionsCommand.class,
            AuditCommand.class,
            StorageCommand.class,
            UsersCommand.class,
            HashPasswordCommand.class,
            CommandLine.HelpCommand.class})
public final class PortcullisMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PortcullisMain());
        // Bad arguments are exit code 2, as for every command of this tool.
        commandLine.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("portcullis: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 2;
        });
        return commandLine;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
