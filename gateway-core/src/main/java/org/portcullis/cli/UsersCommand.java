package org.portcullis.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.PasswordHash;
import org.portcullis.config.UserEntry;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.config.UsersFileWriter;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
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

    /** The {@code --file} option every sub-command takes. */
    static final class FileOption {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The users file.")
        Path file;
    }

    /** What the sub-commands share: loading, reporting, hashing, writing. */
    abstract static class Edit implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        FileOption fileOption;

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
            if (missingIsEmpty && !Files.exists(fileOption.file)) {
                return Optional.of(List.of());
            }
            try {
                return Optional.of(parent.loader.load(fileOption.file).users());
            } catch (ConfigException e) {
                for (ConfigProblem error : e.errors()) {
                    err().println(error);
                }
                int count = e.errors().size();
                err().println(fileOption.file + ": " + count + (count == 1 ? " error" : " errors")
                        + "; nothing changed");
                err().flush();
                return Optional.empty();
            }
        }

        int write(List<UserEntry> users, String done) {
            try {
                new UsersFileWriter(parent.loader).write(fileOption.file, users);
            } catch (IOException e) {
                return fail("cannot write " + fileOption.file + ": " + e.getMessage());
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

        /** Applies {@code change} to the user {@code login} names (username or email) and writes the file. */
        int change(String login, UnaryOperator<UserEntry> change, String done) {
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
                    return write(updated, done.replace("{user}", user.username()));
                }
            }
            return fail("no user '" + login + "' in " + fileOption.file);
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
        public Integer call() {
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
            return write(updated, "added user '" + user.username() + "' to " + fileOption.file);
        }
    }

    @Command(name = "passwd", description = "Set a user's password; it is asked for (or read from standard input).")
    static final class Passwd extends Edit {
        @Parameters(paramLabel = "LOGIN", description = "Username or email.")
        String login;

        @Override
        public Integer call() {
            return change(login, user -> newPasswordHash(user.username()).map(user::withPassword).orElse(null),
                    "changed the password of '{user}' in " + fileOption.file);
        }
    }

    @Command(name = "disable", description = "Stop a user from signing in (the entry and its password are kept).")
    static final class Disable extends Edit {
        @Parameters(paramLabel = "LOGIN", description = "Username or email.")
        String login;

        @Override
        public Integer call() {
            return change(login, user -> user.withDisabled(true), "disabled '{user}' in " + fileOption.file);
        }
    }

    @Command(name = "enable", description = "Let a disabled user sign in again.")
    static final class Enable extends Edit {
        @Parameters(paramLabel = "LOGIN", description = "Username or email.")
        String login;

        @Override
        public Integer call() {
            return change(login, user -> user.withDisabled(false), "enabled '{user}' in " + fileOption.file);
        }
    }

    @Command(name = "list", description = "List the users (never their password hashes).")
    static final class ListUsers extends Edit {
        static final List<String> HEADINGS = List.of("USERNAME", "DISPLAY NAME", "EMAIL", "GROUPS", "DISABLED");

        @Override
        public Integer call() {
            Optional<List<UserEntry>> users = load(false);
            if (users.isEmpty()) {
                return FAILED;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(HEADINGS);
            for (UserEntry user : users.get()) {
                rows.add(List.of(user.username(), user.displayName(), user.emailAddress().orElse("-"),
                        user.groups().isEmpty() ? "-" : String.join(",", user.groups()),
                        user.disabled() ? "yes" : "no"));
            }
            int[] widths = new int[HEADINGS.size()];
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
            out().flush();
            return OK;
        }
    }
}
