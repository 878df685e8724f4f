package org.portcullis.cli;

import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** Entry point of {@code ./portcullis}: lists and dispatches the sub-commands. */
@Command(
        name = "portcullis",
        mixinStandardHelpOptions = true,
        // Every command and sub-command inherits --help and --version: `portcullis users add --help` prints the
        // usage on stdout and exits 0, like any other tool.
        scope = ScopeType.INHERIT,
        version = "Portcullis 0.1.0",
        description = "MFA enforcement gateway for health and care endpoints.",
        subcommands = {
            RunCommand.class,
            ConfigCommand.class,
            PolicyCommand.class,
            DemoCommand.class,
            SessionsCommand.class,
            AuditCommand.class,
            CoverageCommand.class,
            StorageCommand.class,
            UsersCommand.class,
            HashPasswordCommand.class,
            SshHostKeyCommand.class,
            HealthCommand.class,
            ConnectCommand.class,
            CommandLine.HelpCommand.class})
public final class PortcullisMain implements Runnable {

    public static void main(String[] args) {
        disableLeakDetectionUnlessAsked();
        System.exit(commandLine().execute(args));
    }

    /**
     * Netty's default leak detector records a stack trace for one buffer in 128, a few per cent of the proxy's CPU.
     * It is a tool for tests (the build runs them with {@code -Dio.netty.leakDetection.level=paranoid}); an operator
     * chasing a leak can still ask for it with that property.
     */
    private static void disableLeakDetectionUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
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
