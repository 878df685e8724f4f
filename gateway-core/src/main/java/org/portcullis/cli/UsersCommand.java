package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.portcullis.audit.AdminEvents;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.config.ConfigException;
import org.portcullis.config.LoadedConfig;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.PasswordHash;
import org.portcullis.config.UserEntry;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.config.UsersFileWriter;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import org.portcullis.storage.Database;
import org.portcullis.storage.StorageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis users add|passwd|disable|enable|list --file FILE}: edits a users file (docs/users.md).
 *
 * <p>Every command first loads the file with the same checks as the gateway and refuses to touch an invalid file
 * (printing its errors), so an edit never hides or spreads a mistake. Changes are written atomically
 * ({@link UsersFileWriter}); a running gateway picks them up through its users-file watcher. Passwords are read from
 * the terminal or standard input ({@link PasswordSource}); there is deliberately no option that takes one.
 * Exit codes: 0 done, 1 failed (invalid file, unknown or duplicate user, unusable password), 2 bad arguments.
 */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage the users file.",
        subcommands = {UsersCommand.Add.class, UsersCommand.Passwd.class, UsersCommand.Disable.class,
            UsersCommand.Enable.class, UsersCommand.ListUsers.class, UnlockCommand.class,
            InviteCommand.class, ResetMfaCommand.class, WebAuthnKeysCommand.class})
public final class UsersCommand implements Runnable {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    @Spec
    CommandSpec spec;

    private final PasswordSource passwords;
    private final PasswordHasher hasher;
    private final UsersFileLoader loader;

    public UsersCommand() {
        this(TerminalPasswordSource.system(), new PasswordHasher(Argon2Parameters.defaults()), new UsersFileLoader());
    }

    UsersCommand(PasswordSource passwords, PasswordHasher hasher, UsersFileLoader loader) {
        this.passwords = passwords;
        this.hasher = hasher;
        this.loader = loader;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Where the users are: {@code --file USERS} (with {@code --data-dir DIR} for the store, optional), or
     * {@code --config FILE}, whose {@code users.file} and {@code storage.data_dir} are used.
     */
    static final class FileOption {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The users file.")
        Path file;

        @Option(names = "--config", paramLabel = "FILE",
                description = "The gateway's config: its users.file and store (storage.data_dir, or storage.postgresql)"
                        + " are used.")
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "With --file: the gateway's storage.data_dir (audit events, factors, last sign-in).")
        Path dataDir;
    }

    /** What the sub-commands share: loading, reporting, hashing, writing. */
    abstract static class Edit implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        FileOption fileOption;

        /** The users file, and the store (null when not given), as resolved from the options. */
        Path usersFile;
        StoreLocation store;

        @Override
        public final Integer call() {
            if (fileOption.config != null && (fileOption.file != null || fileOption.dataDir != null)) {
                err().println("error: give --config FILE, or --file USERS (and --data-dir DIR), not both");
                err().flush();
                return BAD_ARGUMENTS;
            }
            if (fileOption.config != null) {
                LoadedConfig loaded = ConfigLoading.loadOrReport(fileOption.config, err());
                if (loaded == null) {
                    return FAILED;
                }
                if (loaded.config().users() == null) {
                    return fail(fileOption.config + " has no users section (users.file is where the users are)");
                }
                usersFile = loaded.config().users().file();
                store = loaded.config().storage() == null ? null : StoreLocation.of(loaded.config().storage());
            } else if (fileOption.file != null) {
                usersFile = fileOption.file;
                store = fileOption.dataDir == null ? null : new StoreLocation.Embedded(fileOption.dataDir);
            } else {
                err().println("error: give --config FILE (the gateway's config) or --file USERS");
                err().flush();
                return BAD_ARGUMENTS;
            }
            return run();
        }

        abstract int run();

        /**
         * Records the change in the store for the gateway to move into the audit trail ({@link AdminEvents}), naming
         * the user. Without a store (only {@code --file}) the change shows in the trail only as a reload of the
         * users file, which does not say whom it concerned: the admin is told so.
         */
        void audit(String command, String user, String detail) {
            if (store == null) {
                err().println("note: not recorded as an admin event (give --config, or --data-dir, to name '"
                        + user + "' in the audit trail)");
                err().flush();
                return;
            }
            if (StoreArgument.reportMissing(store, err())) {
                err().flush();
                return;
            }
            try (Database database = store.openExisting()) {
                new AdminEvents(database).record(Clock.systemUTC(), command, AuditOutcome.SUCCESS, user, detail);
            } catch (StorageException e) {
                err().println("warning: the change is made but not recorded as an admin event: " + e.getMessage());
                err().flush();
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        int fail(String message) {
            err().println("portcullis users " + spec.name() + ": " + message);
            err().flush();
            return FAILED;
        }

        /** The file's users, or empty after printing every error of an invalid file. */
        Optional<List<UserEntry>> load(boolean missingIsEmpty) {
            if (missingIsEmpty && !Files.exists(usersFile)) {
                return Optional.of(List.of());
            }
            try {
                return Optional.of(parent.loader.load(usersFile).users());
            } catch (ConfigException e) {
                for (ConfigProblem error : e.errors()) {
                    err().println(error);
                }
                int count = e.errors().size();
                err().println(usersFile + ": " + count + (count == 1 ? " error" : " errors")
                        + "; nothing changed");
                err().flush();
                return Optional.empty();
            }
        }

        int write(List<UserEntry> users, String done) {
            try {
                new UsersFileWriter(parent.loader).write(usersFile, users);
            } catch (IOException e) {
                return fail("cannot write " + usersFile + ": " + e.getMessage());
            } catch (ConfigException e) {
                return fail("internal error, nothing changed: " + e.getMessage());
            }
            out().println(done);
            out().flush();
            return OK;
        }

        /** A hash of a password read from the terminal or stdin, or empty after printing why not. */
        Optional<PasswordHash> newPasswordHash(String username) {
            char[] password = null;
            try {
                password = parent.passwords.readNewPassword("password for " + username);
                return Optional.of(parent.hasher.hashOf(password));
            } catch (PasswordSource.PasswordInputException e) {
                fail(e.getMessage());
                return Optional.empty();
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }

        /**
         * Applies {@code change} to the user {@code login} names (username or email), writes the file and records
         * {@code command} as an admin event naming the user.
         */
        int change(String command, String login, UnaryOperator<UserEntry> change, String done) {
            Optional<List<UserEntry>> users = load(false);
            if (users.isEmpty()) {
                return FAILED;
            }
            List<UserEntry> updated = new ArrayList<>(users.get());
            String canonical = UserEntry.canonicalLogin(login);
            for (int i = 0; i < updated.size(); i++) {
                UserEntry user = updated.get(i);
                if (user.username().equals(canonical) || canonical.equals(user.email())) {
                    UserEntry changed = change.apply(user);
                    if (changed == null) {
                        return FAILED; // the change reported why
                    }
                    updated.set(i, changed);
                    int written = write(updated, done.replace("{user}", user.username()));
                    if (written == OK) {
                        audit(command, user.username(), null);
                    }
                    return written;
                }
            }
            return fail("no user '" + login + "' in " + usersFile);
        }
    }

    @Command(name = "add", description = "Add a user; the password is asked for (or read from standard input).")
    static final class Add extends Edit {
        @Parameters(paramLabel = "USERNAME", description = "Letters, digits, '.', '_' and '-'.")
        String username;

        @Option(names = "--email", paramLabel = "EMAIL", description = "Also signs in this account.")
        String email;

        @Option(names = "--display-name", paramLabel = "NAME", description = "Shown on pages; default: the username.")
        String displayName;

        @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "Comma-separated group names.")
        List<String> groups = List.of();

        @Override
        int run() {
            List<String> problems = new ArrayList<>();
            UsersFileLoader.usernameProblem(username).ifPresent(problems::add);
            if (email != null) {
                UsersFileLoader.emailProblem(email).ifPresent(problems::add);
            }
            if (displayName != null) {
                UsersFileLoader.displayNameProblem(displayName).ifPresent(problems::add);
            }
            groups.forEach(g -> UsersFileLoader.groupProblem(g).ifPresent(problems::add));
            if (!problems.isEmpty()) {
                problems.forEach(p -> err().println("portcullis users add: " + p));
                err().flush();
                return BAD_ARGUMENTS;
            }
            Optional<List<UserEntry>> users = load(true);
            if (users.isEmpty()) {
                return FAILED;
            }
            for (String login : email == null ? List.of(username) : List.of(username, email)) {
                String canonical = UserEntry.canonicalLogin(login);
                for (UserEntry user : users.get()) {
                    if (user.username().equals(canonical) || canonical.equals(user.email())) {
                        return fail("'" + login + "' is already used by user '" + user.username() + "'");
                    }
                }
            }
            Optional<PasswordHash> hash = newPasswordHash(UserEntry.canonicalLogin(username));
            if (hash.isEmpty()) {
                return FAILED;
            }
            List<UserEntry> updated = new ArrayList<>(users.get());
            UserEntry user = new UserEntry(username, displayName, email, groups, false, hash.get());
            updated.add(user);
            int written = write(updated, "added user '" + user.username() + "' to " + usersFile);
            if (written == OK) {
                audit("users.add", user.username(), null);
            }
            return written;
        }
    }

    @Command(name = "passwd", description = "Set a user's password; it is asked for (or read from standard input).")
    static final class Passwd extends Edit {
        @Parameters(paramLabel = "LOGIN", description = "Username or email.")
        String login;

        @Override
        int run() {
            return change("users.passwd", login, user -> newPasswordHash(user.username()).map(user::withPassword).orElse(null),
                    "changed the password of '{user}' in " + usersFile);
        }
    }

    @Command(name = "disable", description = "Stop a user from signing in (the entry and its password are kept).")
    static final class Disable extends Edit {
        @Parameters(paramLabel = "LOGIN", description = "Username or email.")
        String login;

        @Override
        int run() {
            return change("users.disable", login, user -> user.withDisabled(true), "disabled '{user}' in " + usersFile);
        }
    }

    @Command(name = "enable", description = "Let a disabled user sign in again.")
    static final class Enable extends Edit {
        @Parameters(paramLabel = "LOGIN", description = "Username or email.")
        String login;

        @Override
        int run() {
            return change("users.enable", login, user -> user.withDisabled(false), "enabled '{user}' in " + usersFile);
        }
    }

    @Command(name = "list", description = {"List the users (never their password hashes), with their second factors"
            + " and last sign-in when the store is known (--config, or --data-dir)."})
    static final class ListUsers extends Edit {
        static final List<String> HEADINGS = List.of("USERNAME", "DISPLAY NAME", "EMAIL", "GROUPS", "DISABLED");
        static final List<String> STORE_HEADINGS = List.of("SECOND FACTORS", "LAST SIGN-IN");

        @Option(names = "--without-mfa",
                description = "Only users with no second factor yet (an authenticator app or a security key).")
        boolean withoutMfa;

        @Override
        int run() {
            Optional<List<UserEntry>> users = load(false);
            if (users.isEmpty()) {
                return FAILED;
            }
            Map<String, AccountFactors> factors = null;
            if (store != null) {
                if (StoreArgument.reportMissing(store, err())) {
                    err().flush();
                    return BAD_ARGUMENTS;
                }
                try (Database database = store.openExisting()) {
                    factors = AccountFactors.read(database);
                } catch (StorageException e) {
                    return fail("cannot read the store: " + e.getMessage());
                }
            } else if (withoutMfa) {
                err().println("error: --without-mfa needs the store: give --config FILE, or --data-dir DIR");
                err().flush();
                return BAD_ARGUMENTS;
            }
            List<List<String>> rows = new ArrayList<>();
            List<String> headings = new ArrayList<>(HEADINGS);
            if (factors != null) {
                headings.addAll(STORE_HEADINGS);
            }
            rows.add(headings);
            int listed = 0;
            for (UserEntry user : users.get()) {
                AccountFactors own = factors == null ? null
                        : factors.getOrDefault(user.username(), AccountFactors.NONE);
                if (withoutMfa && own.hasSecondFactor()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(user.username(), user.displayName(),
                        user.emailAddress().orElse("-"),
                        user.groups().isEmpty() ? "-" : String.join(",", user.groups()),
                        user.disabled() ? "yes" : "no"));
                if (own != null) {
                    row.add(own.describe());
                    row.add(own.lastSignIn());
                }
                rows.add(row);
                listed++;
            }
            printTable(rows);
            if (withoutMfa) {
                out().println(listed + (listed == 1 ? " user has" : " users have") + " no second factor yet");
            }
            out().flush();
            return OK;
        }

        private void printTable(List<List<String>> rows) {
            int[] widths = new int[rows.get(0).size()];
            rows.forEach(row -> {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
                }
            });
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    String cell = row.get(i);
                    line.append(cell);
                    if (i < row.size() - 1) {
                        line.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length()) + 2));
                    }
                }
                out().println(line);
            }
        }
    }
}
