package org.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.UserEntry;
import org.portcullis.config.UsersFile;
import org.portcullis.config.UsersFileLoader;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;
import picocli.CommandLine;

/** The users commands run in-process on a real file, with passwords fed through standard input. */
class UsersCommandTest {
    private static final UsersFileLoader LOADER = UsersFileLoader.unsafeAcceptingAnyHashCost();
    private static final PasswordHasher HASHER = new PasswordHasher(new Argon2Parameters(64, 1, 1));

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(Object command, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("portcullis: " + ex.getMessage());
            return 2;
        });
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run users(String stdin, String... args) {
        TerminalPasswordSource passwords = new TerminalPasswordSource(null,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return run(new UsersCommand(passwords, HASHER, LOADER), stdin, args);
    }

    private Path file() {
        return dir.resolve("users.yml");
    }

    private UsersFile load() throws Exception {
        return LOADER.load(file());
    }

    private void addAlice() {
        assertThat(users("correct horse\n", "add", "Alice", "--file", file().toString(), "--email",
                "Alice@Example.org", "--display-name", "Alice \"Al\" Example", "--groups", "clinicians,nurses")
                .exitCode()).isZero();
    }

    @Test
    void addCreatesTheFileOwnerOnlyWithAHashOfThePassword() throws Exception {
        Run run = users("correct horse\n", "add", "Alice", "--file", file().toString(), "--email",
                "Alice@Example.org", "--display-name", "Alice \"Al\" Example", "--groups", "clinicians,nurses");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("added user 'alice' to " + file() + "\n");
        UserEntry alice = load().users().get(0);
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.email()).isEqualTo("alice@example.org");
        assertThat(alice.displayName()).isEqualTo("Alice \"Al\" Example");
        assertThat(alice.groups()).containsExactly("clinicians", "nurses");
        assertThat(alice.disabled()).isFalse();
        assertThat(HASHER.verify("correct horse".toCharArray(), alice.password())).isTrue();
        assertThat(Files.readString(file())).doesNotContain("correct horse");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    }

    @Test
    void addKeepsTheOtherUsers() throws Exception {
        addAlice();
        assertThat(users("battery staple\n", "add", "bob", "-f", file().toString()).exitCode()).isZero();

        assertThat(load().users()).extracting(UserEntry::username).containsExactly("alice", "bob");
        assertThat(load().users().get(0).groups()).containsExactly("clinicians", "nurses");
    }

    @Test
    void addRefusesALoginAlreadyUsedAsUsernameOrEmail() throws Exception {
        addAlice();
        String before = Files.readString(file());

        Run byName = users("battery staple\n", "add", "ALICE", "-f", file().toString());
        Run byEmail = users("battery staple\n", "add", "al", "--email", "alice@EXAMPLE.org", "-f", file().toString());

        assertThat(byName.exitCode()).isEqualTo(1);
        assertThat(byName.err()).isEqualTo("portcullis users add: 'ALICE' is already used by user 'alice'\n");
        assertThat(byEmail.err())
                .isEqualTo("portcullis users add: 'alice@EXAMPLE.org' is already used by user 'alice'\n");
        assertThat(Files.readString(file())).isEqualTo(before);
    }

    @Test
    void addRefusesMalformedArgumentsWithExitTwo() {
        Run run = users("correct horse\n", "add", "al ice", "--email", "nope", "--groups", "a b", "-f",
                file().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("""
                portcullis users add: 'al ice' is not a username (allowed: 1 to 64 of a-z, A-Z, 0-9, '.', '_' and '-', starting with a letter or digit)
                portcullis users add: 'nope' is not an email address (allowed: local-part@domain in ASCII, e.g. alice@example.org)
                portcullis users add: 'a b' is not a group name (allowed: 1 to 64 of a-z, A-Z, 0-9, '.', '_' and '-')
                """);
        assertThat(file()).doesNotExist();
    }

    @Test
    void thereIsNoPasswordOption() {
        Run run = users("", "add", "alice", "--password", "correct horse", "-f", file().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("portcullis: Unknown options: '--password', 'correct horse'");
        assertThat(file()).doesNotExist();
    }

    @Test
    void missingFileOptionIsABadArgument() {
        assertThat(users("", "list").exitCode()).isEqualTo(2);
    }

    @Test
    void shortOrMissingPasswordIsRefused() {
        Run short_ = users("short\n", "add", "alice", "-f", file().toString());
        Run none = users("", "add", "alice", "-f", file().toString());

        assertThat(short_.exitCode()).isEqualTo(1);
        assertThat(short_.err()).isEqualTo("portcullis users add: the password is shorter than 8 characters\n");
        assertThat(none.err()).isEqualTo("portcullis users add: no password given\n");
        assertThat(file()).doesNotExist();
    }

    @Test
    void passwdReplacesTheHashByUsernameOrEmail() throws Exception {
        addAlice();

        Run run = users("battery staple\r\n", "passwd", "ALICE@example.org", "-f", file().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("changed the password of 'alice' in " + file() + "\n");
        UserEntry alice = load().users().get(0);
        assertThat(HASHER.verify("battery staple".toCharArray(), alice.password())).isTrue();
        assertThat(HASHER.verify("correct horse".toCharArray(), alice.password())).isFalse();
    }

    @Test
    void disableAndEnable() throws Exception {
        addAlice();

        assertThat(users("", "disable", "alice", "-f", file().toString()).out())
                .isEqualTo("disabled 'alice' in " + file() + "\n");
        assertThat(load().users().get(0).disabled()).isTrue();
        assertThat(users("", "enable", "Alice", "-f", file().toString()).exitCode()).isZero();
        assertThat(load().users().get(0).disabled()).isFalse();
    }

    @Test
    void unknownUserFails() throws Exception {
        addAlice();
        Run run = users("", "disable", "mallory", "-f", file().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("portcullis users disable: no user 'mallory' in " + file() + "\n");
    }

    @Test
    void listShowsATableWithoutHashes() throws Exception {
        addAlice();
        users("battery staple\n", "add", "bob", "-f", file().toString());
        users("", "disable", "bob", "-f", file().toString());

        Run run = users("", "list", "-f", file().toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                USERNAME  DISPLAY NAME        EMAIL              GROUPS             DISABLED
                alice     Alice "Al" Example  alice@example.org  clinicians,nurses  no
                bob       bob                 -                  -                  yes
                """);
    }

    @Test
    void invalidFileIsNeverTouched() throws Exception {
        String broken = "users:\n  - username: alice\n    pasword: x\n";
        Files.writeString(file(), broken);

        Run run = users("correct horse\n", "add", "bob", "-f", file().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(file() + ":2: users[0].password: missing (required)\n"
                + file() + ":3: users[0].pasword: unknown key (did you mean 'password'?)\n"
                + file() + ": 2 errors; nothing changed\n");
        assertThat(Files.readString(file())).isEqualTo(broken);
    }

    @Test
    void hashPasswordPrintsAPhcStringFromStandardInput() {
        Callable<Integer> command = new HashPasswordCommand(new TerminalPasswordSource(null,
                new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8))), HASHER);

        Run run = run(command, "");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("$argon2id$v=19$m=64,t=1,p=1$").endsWith("\n");
        assertThat(HASHER.verify("correct horse".toCharArray(), run.out().strip())).isTrue();
    }

    @Test
    void hashPasswordRefusesAnEmptyPassword() {
        Run run = run(new HashPasswordCommand(new TerminalPasswordSource(null,
                new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8))), HASHER), "");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("portcullis hash-password: no password given\n");
        assertThat(run.out()).isEmpty();
    }
}
