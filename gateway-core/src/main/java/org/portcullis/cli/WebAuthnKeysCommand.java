package org.portcullis.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.config.UserEntry;
import org.portcullis.factor.WebAuthnCredentials;
import org.portcullis.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis users webauthn list|enable}: an admin's view of a user's security keys, and re-enabling a key the
 * gateway disabled after its signature counter went backwards (a clone signal, docs/webauthn.md). Re-enabling is a
 * judgement call (was the key really copied, or did the user reset it?), so it is recorded in the audit trail through
 * {@link AdminEvents} like {@code users unlock}. Works while the gateway runs.
 *
 * <p>Exit codes: 0 done, 1 the store failed, 2 bad input (also: no such disabled key).
 */
@Command(name = "webauthn", mixinStandardHelpOptions = true,
        description = "List a user's security keys, or re-enable one disabled after a clone signal.",
        subcommands = {WebAuthnKeysCommand.ListKeys.class, WebAuthnKeysCommand.Enable.class})
public final class WebAuthnKeysCommand implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_STORE_ERROR = StoreArgument.EXIT_STORE_ERROR;
    static final int EXIT_BAD_INPUT = 2;
    /** A shorter prefix would too easily name the wrong key. */
    static final int MIN_ID_PREFIX = 8;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class KeyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The account's username (any case).")
        String name;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                String user;
                try {
                    user = UserEntry.canonicalLogin(name);
                } catch (IllegalArgumentException e) {
                    err.println("error: NAME " + e.getMessage());
                    return EXIT_BAD_INPUT;
                }
                return StoreArgument.withExistingStore(store, err, database ->
                        run(database, new WebAuthnCredentials(database, new SecureRandom()), user, out, err));
            } finally {
                out.flush();
                err.flush();
            }
        }

        abstract int run(Database database, WebAuthnCredentials keys, String user, PrintWriter out,
                         PrintWriter err);
    }

    @Command(name = "list", description = "List a user's security keys: id, name, added, last used, state.")
    static final class ListKeys extends KeyCommand {
        @Override
        int run(Database database, WebAuthnCredentials keys, String user, PrintWriter out, PrintWriter err) {
            List<WebAuthnCredentials.StoredKey> all = keys.keys(user);
            if (all.isEmpty()) {
                out.println("'" + user + "' has no security keys");
            }
            for (WebAuthnCredentials.StoredKey key : all) {
                out.println(key.id() + "  " + key.record().name() + "  added " + TIME.format(key.record().created())
                        + "  last used " + key.record().lastUsedAt().map(TIME::format).orElse("never") + "  "
                        + (key.record().disabled() ? "DISABLED (" + key.disabledReason().orElse("unknown") + ")"
                        : "enabled"));
            }
            return EXIT_OK;
        }
    }

    @Command(name = "enable",
            description = "Re-enable a security key the gateway disabled (e.g. after a clone signal).")
    static final class Enable extends KeyCommand {
        @Parameters(index = "1", paramLabel = "CREDENTIAL-ID",
                description = "The key's id as 'users webauthn list' prints it, or a unique prefix of at least 8"
                        + " characters.")
        String id;

        @Override
        int run(Database database, WebAuthnCredentials keys, String user, PrintWriter out, PrintWriter err) {
            if (id.length() < MIN_ID_PREFIX) {
                err.println("error: CREDENTIAL-ID needs at least " + MIN_ID_PREFIX + " characters");
                return EXIT_BAD_INPUT;
            }
            List<WebAuthnCredentials.StoredKey> matching = keys.keys(user).stream()
                    .filter(k -> k.id().startsWith(id)).toList();
            if (matching.size() != 1) {
                err.println("error: '" + user + "' has " + (matching.isEmpty() ? "no" : "more than one")
                        + " security key with id " + id + "; see 'portcullis users webauthn list " + user + "'");
                return EXIT_BAD_INPUT;
            }
            WebAuthnCredentials.StoredKey key = matching.get(0);
            if (!keys.enable(user, key.id())) {
                err.println("error: the key '" + key.record().name() + "' of '" + user + "' is not disabled");
                return EXIT_BAD_INPUT;
            }
            new AdminEvents(database).record(Clock.systemUTC(), "users.webauthn.enable", AuditOutcome.SUCCESS, user,
                    "credential=" + key.id() + " was=" + key.disabledReason().orElse("unknown"));
            out.println("re-enabled the key '" + key.record().name() + "' of '" + user + "'");
            return EXIT_OK;
        }
    }
}
