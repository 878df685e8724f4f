package org.portcullis.cli;

import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.portcullis.session.SessionCacheKeeper;
import java.util.stream.Collectors;
import org.portcullis.session.SessionStore;
import org.portcullis.session.SessionSummary;
import org.portcullis.session.SqliteSessionStore;
import org.portcullis.signin.OpenStreamsTable;
import org.portcullis.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis sessions …}: list and revoke sessions in the gateway's store, also while the gateway runs (SQLite
 * lets this process wait for the gateway's write lock). The gateway reads the store on every request and caches
 * nothing, so a revocation takes effect on the session's next request.
 *
 * <p>Sessions are named only by their short display id; the commands never print a session id or its hash.
 *
 * <p>Exit codes: {@value #EXIT_OK} done, {@value #EXIT_STORE_ERROR} the store failed, {@value #EXIT_BAD_INPUT} bad
 * options or no database under {@code --data-dir}.
 */
@Command(
        name = "sessions",
        mixinStandardHelpOptions = true,
        description = "List and revoke sign-in sessions.",
        subcommands = {SessionsCommand.ListCommand.class, SessionsCommand.RevokeCommand.class})
public final class SessionsCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_STORE_ERROR = StoreArgument.EXIT_STORE_ERROR;
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    /** Without a sub-command: print the usage and fail as bad input. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_BAD_INPUT;
    }

    /** {@code portcullis sessions list [--user u] --data-dir DIR}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sessions, oldest first per user.",
            footer = {"", "Exit codes: 0 done, 1 store error, 2 bad input."})
    static final class ListCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Option(names = "--user", paramLabel = "NAME", description = "Only this user's sessions (exact name).")
        String user;

        private final Clock clock;

        ListCommand() {
            this(Clock.systemUTC());
        }

        ListCommand(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        @Override
        public Integer call() {
            return withStore(spec, store, (store, database) -> {
                PrintWriter out = spec.commandLine().getOut();
                List<SessionSummary> sessions = store.list(Optional.ofNullable(user));
                Instant now = clock.instant();
                if (!sessions.isEmpty()) {
                    out.printf("%-8s  %-20s  %-20s  %-20s  %-20s  %s%n",
                            "ID", "CREATED", "LAST SEEN", "EXPIRES", "FACTORS", "USER");
                }
                // Published by the running gateway (another process): its open tunnels and desktops, by session.
                Map<String, List<OpenStreamsTable.Row>> streams = new OpenStreamsTable(database).list().stream()
                        .collect(Collectors.groupingBy(OpenStreamsTable.Row::sessionDisplayId));
                for (SessionSummary s : sessions) {
                    String expires = time(s.expires()) + (now.isBefore(s.expires()) ? "" : " (expired)");
                    out.printf("%-8s  %-20s  %-20s  %-20s  %-20s  %s%n", s.displayId(), time(s.created()),
                            time(s.lastSeen()), expires, factors(s), printable(s.user()));
                    for (OpenStreamsTable.Row stream : streams.getOrDefault(s.displayId(), List.of())) {
                        out.printf("          remote %s %s (route %s) from %s, open since %s, %d bytes in,"
                                        + " %d bytes out%n", printable(stream.kind()), printable(stream.target()),
                                printable(stream.route()), printable(stream.source()), time(stream.openedAt()),
                                stream.bytesFromClient(), stream.bytesToClient());
                    }
                }
                out.println(sessions.size() + (sessions.size() == 1 ? " session" : " sessions"));
                return EXIT_OK;
            });
        }

        private static String time(Instant instant) {
            return instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }

        private static String factors(SessionSummary s) {
            TreeSet<String> names = new TreeSet<>();
            s.factors().forEach(f -> names.add(f.name().toLowerCase(Locale.ROOT)));
            return String.join(",", names);
        }
    }

    /** {@code portcullis sessions revoke --user u | --id-prefix p | --all --data-dir DIR}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "End sessions now; they stop working on their next request.",
            footer = {"", "Give exactly one of --user, --id-prefix, --all.",
                    "Exit codes: 0 done (also when nothing matched), 1 store error, 2 bad input."})
    static final class RevokeCommand implements Callable<Integer> {

        /** At least 4 hex digits, so a typo cannot end a sixteenth of all sessions; --all exists for everything. */
        static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{4,8}");

        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions store;

        @Option(names = "--user", paramLabel = "NAME", description = "Every session of this user (exact name).")
        String user;

        @Option(names = "--id-prefix", paramLabel = "HEX",
                description = "Sessions whose display id (from 'sessions list') starts with these 4 to 8 hex digits.")
        String idPrefix;

        @Option(names = "--all", description = "Every session: everybody signs in again.")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            int selectors = (user != null ? 1 : 0) + (idPrefix != null ? 1 : 0) + (all ? 1 : 0);
            if (selectors != 1) {
                err.println("error: give exactly one of --user, --id-prefix, --all");
                err.flush();
                return EXIT_BAD_INPUT;
            }
            String prefix = idPrefix == null ? null : idPrefix.toLowerCase(Locale.ROOT);
            if (prefix != null && !ID_PREFIX.matcher(prefix).matches()) {
                err.println("error: --id-prefix must be 4 to 8 hex digits of a display id from 'sessions list'");
                err.flush();
                return EXIT_BAD_INPUT;
            }
            if (user != null && user.isEmpty()) {
                err.println("error: --user must not be empty");
                err.flush();
                return EXIT_BAD_INPUT;
            }
            return withStore(spec, store, (store, database) -> {
                int revoked;
                String target;
                if (all) {
                    revoked = store.deleteAll();
                    target = "all";
                } else if (prefix != null) {
                    revoked = store.deleteByIdPrefix(prefix);
                    target = "id-prefix:" + prefix;
                } else {
                    revoked = store.deleteByUser(user);
                    target = user;
                }
                new AdminEvents(database).record(java.time.Clock.systemUTC(), "sessions.revoke", AuditOutcome.SUCCESS,
                        target, "revoked=" + revoked);
                // A running gateway's session cache honours it from the moment this command reports it.
                SessionCacheKeeper.awaitRunningGatewaysNotice();
                PrintWriter out = spec.commandLine().getOut();
                out.println("revoked " + revoked + (revoked == 1 ? " session" : " sessions"));
                return EXIT_OK;
            });
        }
    }

    @FunctionalInterface
    private interface StoreWork {
        int run(SessionStore store, Database database);
    }

    private static int withStore(CommandSpec spec, StoreOptions storeOptions, StoreWork work) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return StoreArgument.withExistingStore(storeOptions, err,
                    database -> work.run(new SqliteSessionStore(database), database));
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** User names come from the store; escape control characters so a name cannot forge terminal output. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
