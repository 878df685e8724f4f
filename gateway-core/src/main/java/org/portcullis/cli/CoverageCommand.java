package org.portcullis.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LoadedConfig;
import org.portcullis.coverage.CoverageCheck;
import org.portcullis.coverage.EntryPointProbe;
import org.portcullis.coverage.Guard;
import org.portcullis.coverage.ProbeResult;
import org.portcullis.coverage.ProtectedSystem;
import org.portcullis.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis coverage check}: which rule guards each protected system, and whether entry points answer. */
@Command(name = "coverage", description = "Check that every protected system is covered by MFA.",
        subcommands = {CoverageCommand.Check.class})
final class CoverageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code portcullis coverage check --config FILE [--from-here] [--timeout 3s]}: prints each protected system with
     * the rules that can decide access to it (factors, strength, exception) and, with {@code --from-here}, tries each
     * of {@code entry_points} from this host ({@link EntryPointProbe}: bounded, no credentials, GET only). The result
     * of a tried check is recorded as the admin command {@value CoverageCheck#COMMAND} through the store, so the running
     * gateway puts it into the audit trail and {@code audit report} shows the last one.
     *
     * <p>Exit codes: {@value #EXIT_OK} no entry point answers around the gateway (or none was tried),
     * {@value #EXIT_AROUND} at least one does, {@value #EXIT_BAD_INPUT} bad input.
     */
    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Show the rule, factors, strength and exception of every protected system; with "
                    + "--from-here also try every entry point from this host.",
            footer = {"", "Exit codes: 0 covered, 1 an entry point answers around the gateway, 2 bad input."})
    static final class Check implements Callable<Integer> {
        static final int EXIT_OK = 0;
        static final int EXIT_AROUND = 1;
        static final int EXIT_BAD_INPUT = 2;

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", required = true, description = "The gateway's config.")
        Path config;

        @Option(names = "--from-here", description = "Try every entry point from this host (TCP connect; for a web "
                + "app one GET without credentials).")
        boolean fromHere;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Connect and read timeout per entry point "
                + "(default: 3s, at most 30s).")
        String timeout = "3s";

        private final Clock clock;

        Check() {
            this(Clock.systemUTC());
        }

        Check(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Duration limit = parseTimeout(err);
                if (limit == null) {
                    return EXIT_BAD_INPUT;
                }
                LoadedConfig loaded = ConfigLoading.loadOrReport(config, err, clock);
                if (loaded == null) {
                    return EXIT_BAD_INPUT;
                }
                GatewayConfig gateway = loaded.config();
                CoverageCheck check = CoverageCheck.run(gateway, clock.instant(),
                        fromHere ? new EntryPointProbe(limit) : null);
                print(check, gateway, out);
                if (fromHere) {
                    record(check, gateway, out);
                }
                return check.aroundTheGateway().isEmpty() ? EXIT_OK : EXIT_AROUND;
            } finally {
                out.flush();
                err.flush();
            }
        }

        private Duration parseTimeout(PrintWriter err) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,5})(ms|s)").matcher(timeout);
            Duration limit = !m.matches() ? null : m.group(2).equals("s") ? Duration.ofSeconds(Long.parseLong(m.group(1)))
                    : Duration.ofMillis(Long.parseLong(m.group(1)));
            if (limit == null || limit.isZero() || limit.isNegative() || limit.compareTo(Duration.ofSeconds(30)) > 0) {
                err.println("error: --timeout '" + timeout + "' is not a duration from 1ms to 30s (e.g. 3s, 500ms)");
                return null;
            }
            return limit;
        }

        private static void print(CoverageCheck check, GatewayConfig config, PrintWriter out) {
            out.println("Protected systems (" + check.systems().size() + "):");
            for (ProtectedSystem system : check.systems()) {
                out.println("  " + system.ref() + " (" + system.where() + "): weakest "
                        + system.weakest().map(Object::toString).orElse("nobody gets through"));
                for (Guard guard : system.guards()) {
                    out.println("    " + guard.rule() + ": " + guard.policy()
                            + (guard.factors().isEmpty() ? "" : " [" + String.join(", ", guard.factors()) + "]")
                            + ", strength " + (guard.strength() == null ? "-" : guard.strength())
                            + (guard.exception() == null ? "" : ", exception " + guard.exception() + " ("
                                    + guard.state().label() + ")")
                            + (guard.condition().isEmpty() ? "" : "; " + guard.condition()));
                }
            }
            if (!check.tried()) {
                out.println("Entry points (" + config.entryPoints().size() + "): not tried (add --from-here to try "
                        + "them from this host)");
                return;
            }
            out.println("Entry points (" + check.probes().size() + "), tried from here:");
            for (ProbeResult result : check.probes()) {
                out.println("  " + result.entryPoint() + " (" + result.entryPoint().protectedBy() + "): "
                        + result.verdict() + (result.verdict().aroundTheGateway() ? " AROUND THE GATEWAY" : "")
                        + " - " + result.detail());
            }
            int around = check.aroundTheGateway().size();
            out.println(around == 0 ? "Result: no entry point answers around the gateway from here"
                    : "Result: " + around + " of " + check.probes().size()
                            + " entry points answer around the gateway from here");
        }

        /** Into the store's admin events, which the running gateway moves into the sealed trail. */
        private void record(CoverageCheck check, GatewayConfig config, PrintWriter out) {
            if (config.storage() == null || StoreLocation.of(config.storage()).missing().isPresent()) {
                out.println("Not recorded in the audit trail: the config has no store yet (storage.data_dir)");
                return;
            }
            try (Database database = StoreLocation.of(config.storage()).openExisting()) {
                new AdminEvents(database).record(clock, CoverageCheck.COMMAND, check.aroundTheGateway().isEmpty()
                        ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE, null, check.summary());
                out.println("Recorded in the audit trail as " + CoverageCheck.COMMAND);
            } catch (RuntimeException e) {
                out.println("Not recorded in the audit trail: " + e.getMessage());
            }
        }
    }
}
