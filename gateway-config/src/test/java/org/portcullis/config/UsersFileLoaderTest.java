package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per users-file message (docs/users.md lists them), each asserting the full text a user reads, file name
 * and line included; and what a valid file turns into.
 */
class UsersFileLoaderTest {
    /** The example of the issue: 19 MiB, t=2 (OWASP's minimum), salt "saltsalt", hash "hashhashhashhash". */
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("users.yml"), yaml);
    }

    private List<String> errors(String yaml) throws IOException {
        return errorsOf(write(yaml), new UsersFileLoader());
    }

    private static List<String> errorsOf(Path file, UsersFileLoader loader) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));
        assertThat(e).as("users file should have failed to load").isNotNull();
        return e.errors().stream().map(ConfigProblem::toString).toList();
    }

    private String at(int line, String pathAndMessage) {
        return dir.resolve("users.yml") + ":" + line + ": " + pathAndMessage;
    }

    /** A users file with one user whose {@code key} line (line 4) is {@code value}. */
    private static String alice(String key, String value) {
        String password = key.equals("password") ? value : "\"" + HASH + "\"";
        String extra = key.equals("password") ? "" : "    " + key + ": " + value + "\n";
        return "users:\n  - username: alice\n    password: " + password + "\n" + extra;
    }

    private static String aliceWithPassword(String phc) {
        return "users:\n  - username: alice\n    password: \"" + phc + "\"\n";
    }

    @Test
    void loadsTheIssueExampleInCanonicalForm() throws Exception {
        UsersFile users = new UsersFileLoader().load(write("""
                users:
                  - username: Alice
                    display_name: Alice Example
                    email: Alice@Example.ORG
                    groups: [Clinicians, nurses]
                    disabled: false
                    password: "%s"
                  - username: bob
                    disabled: true
                    password: "%s"
                """.formatted(HASH, HASH)));

        UserEntry alice = users.users().get(0);
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.displayName()).isEqualTo("Alice Example");
        assertThat(alice.email()).isEqualTo("alice@example.org");
        assertThat(alice.groups()).containsExactly("clinicians", "nurses");
        assertThat(alice.disabled()).isFalse();
        assertThat(alice.password().encoded()).isEqualTo(HASH);
        assertThat(alice.password().salt()).asString().isEqualTo("saltsalt");
        UserEntry bob = users.users().get(1);
        assertThat(bob.displayName()).isEqualTo("bob");
        assertThat(bob.emailAddress()).isEmpty();
        assertThat(bob.groups()).isEmpty();
        assertThat(bob.disabled()).isTrue();
        assertThat(users.find("ALICE@example.org")).contains(alice);
        assertThat(users.find("BOB")).contains(bob);
        assertThat(users.find("carol")).isEmpty();
    }

    @Test
    void toStringNeverShowsSaltOrHash() throws Exception {
        UsersFile users = new UsersFileLoader().load(write(alice("email", "alice@example.org")));
        assertThat(users.toString()).doesNotContain("c2FsdHNhbHQ", "aGFzaGhh", "saltsalt")
                .contains("password=(redacted)");
        assertThat(users.users().get(0).password().toString())
                .isEqualTo("PasswordHash[argon2id, m=19456,t=2,p=1, salt and hash redacted]");
    }

    @Test
    void reportsEveryErrorAtOnce() throws Exception {
        assertThat(errors("""
                users:
                  - username: -alice
                    email: nope
                    password: "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
                  - username: bob
                """)).hasSize(4);
    }

    // --- structure ---------------------------------------------------------------------------------------------

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.yml");
        assertThat(errorsOf(missing, new UsersFileLoader()))
                .containsExactly(missing + ":0: (file): cannot read: no such file");
    }

    @Test
    void missingUsersKey() throws Exception {
        assertThat(errors("")).containsExactly(at(1, "users: missing (required)"));
    }

    @Test
    void unknownKeyWithHint() throws Exception {
        assertThat(errors(alice("emial", "alice@example.org")))
                .containsExactly(at(4, "users[0].emial: unknown key (did you mean 'email'?)"));
    }

    @Test
    void missingPassword() throws Exception {
        assertThat(errors("users:\n  - username: alice\n"))
                .containsExactly(at(2, "users[0].password: missing (required)"));
    }

    @Test
    void disabledNotBoolean() throws Exception {
        assertThat(errors(alice("disabled", "yes")))
                .containsExactly(at(4, "users[0].disabled: 'yes' is not a boolean (allowed: true, false)"));
    }

    // --- values ------------------------------------------------------------------------------------------------

    @Test
    void notUsername() throws Exception {
        assertThat(errors("users:\n  - username: al ice\n    password: \"" + HASH + "\"\n"))
                .containsExactly(at(2, "users[0].username: 'al ice' is not a username (allowed: 1 to 64 of a-z, A-Z,"
                        + " 0-9, '.', '_' and '-', starting with a letter or digit)"));
    }

    @Test
    void nonAsciiUsernameIsRefused() throws Exception {
        // U+212A KELVIN SIGN lowercases to 'k': it must not become a second spelling of "kate".
        assertThat(errors("users:\n  - username: \u212Aate\n    password: \"" + HASH + "\"\n"))
                .containsExactly(at(2, "users[0].username: '\\u{212A}ate' is not a username (allowed: 1 to 64 of"
                        + " a-z, A-Z, 0-9, '.', '_' and '-', starting with a letter or digit)"));
    }

    @Test
    void notEmail() throws Exception {
        assertThat(errors(alice("email", "alice@@example.org")))
                .containsExactly(at(4, "users[0].email: 'alice@@example.org' is not an email address (allowed:"
                        + " local-part@domain in ASCII, e.g. alice@example.org)"));
    }

    @Test
    void notGroup() throws Exception {
        assertThat(errors(alice("groups", "[clinicians, \"night shift\"]")))
                .containsExactly(at(4, "users[0].groups[1]: 'night shift' is not a group name (allowed: 1 to 64 of"
                        + " a-z, A-Z, 0-9, '.', '_' and '-')"));
    }

    @Test
    void notDisplayName() throws Exception {
        assertThat(errors(alice("display_name", "\"Alice\\nX-Forged: yes\"")))
                .containsExactly(at(4, "users[0].display_name: 'Alice\\nX-Forged: yes' is not a display name"
                        + " (allowed: up to 200 characters, no control characters)"));
    }

    @Test
    void usernameUsedTwiceIgnoringCase() throws Exception {
        assertThat(errors("users:\n  - username: alice\n    password: \"" + HASH + "\"\n"
                + "  - username: ALICE\n    password: \"" + HASH + "\"\n"))
                .containsExactly(at(4, "users[1].username: 'ALICE' is already used by users[0].username"
                        + " (usernames and emails compare case-insensitively)"));
    }

    @Test
    void emailUsedTwiceIgnoringCase() throws Exception {
        assertThat(errors(alice("email", "alice@example.org") + "  - username: bob\n"
                + "    email: Alice@Example.org\n    password: \"" + HASH + "\"\n"))
                .containsExactly(at(6, "users[1].email: 'Alice@Example.org' is already used by users[0].email"
                        + " (usernames and emails compare case-insensitively)"));
    }

    @Test
    void referenceNotAllowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("hash.txt"), HASH);
        assertThat(errors(aliceWithPassword("${file:" + secret + "}")))
                .containsExactly(at(3, "users[0].password: ${env:…} and ${file:…} are not supported in a users file"
                        + " (allowed: the value itself)"));
    }

    // --- password hashes ---------------------------------------------------------------------------------------

    @Test
    void notPhc() throws Exception {
        assertThat(errors(aliceWithPassword("correct horse")))
                .containsExactly(at(3, "users[0].password: (redacted, 13 chars) is not a password hash (allowed:"
                        + " $argon2id$v=19$m=KIB,t=ITERATIONS,p=LANES$SALT$HASH, as written by"
                        + " 'portcullis hash-password')"));
    }

    @Test
    void hashAlgorithm() throws Exception {
        assertThat(errors(aliceWithPassword("$2b$12$abcdefghijklmnopqrstuv")))
                .containsExactly(at(3, "users[0].password: algorithm '2b' is not supported (allowed: argon2id)"));
    }

    @Test
    void hashVersion() throws Exception {
        assertThat(errors(aliceWithPassword(HASH.replace("v=19", "v=16"))))
                .containsExactly(at(3, "users[0].password: Argon2 version v=16 is not supported (allowed: v=19)"));
    }

    @Test
    void hashCostOutOfRange() throws Exception {
        assertThat(errors(aliceWithPassword(HASH.replace("m=19456", "m=1945600"))))
                .containsExactly(at(3, "users[0].password: m=1945600,t=2,p=1 is out of range (allowed: m 8×p to"
                        + " 1048576 KiB, t 1 to 16, p 1 to 16)"));
    }

    @Test
    void hashBelowMinimum() throws Exception {
        assertThat(errors(aliceWithPassword(HASH.replace("m=19456,t=2", "m=19456,t=1"))))
                .containsExactly(at(3, "users[0].password: m=19456,t=1,p=1 is below the OWASP minimum (allowed: at"
                        + " least m=19456,t=2,p=1 or m=47104,t=1,p=1; rehash with 'portcullis users passwd')"));
    }

    @Test
    void owaspSinglePassAlternativeIsAccepted() throws Exception {
        UsersFile users = new UsersFileLoader().load(write(aliceWithPassword(HASH.replace("m=19456,t=2",
                "m=47104,t=1"))));
        assertThat(users.users().get(0).password().costText()).isEqualTo("m=47104,t=1,p=1");
    }

    @Test
    void tinyTestCostsLoadOnlyWithTheUnsafeLoader() throws Exception {
        Path file = write(aliceWithPassword(HASH.replace("m=19456,t=2", "m=64,t=1")));
        assertThat(errorsOf(file, new UsersFileLoader())).hasSize(1);
        assertThat(UsersFileLoader.unsafeAcceptingAnyHashCost().load(file).users()).hasSize(1);
    }

    @Test
    void hashSalt() throws Exception {
        assertThat(errors(aliceWithPassword(HASH.replace("c2FsdHNhbHQ", "c2FsdA"))))
                .containsExactly(at(3, "users[0].password: salt is not 8 to 64 bytes of unpadded base64"));
    }

    @Test
    void hashBytes() throws Exception {
        assertThat(errors(aliceWithPassword(HASH.replace("aGFzaGhhc2hoYXNoaGFzaA", "aGFzaGhhc2hoYXNoaGFzaB"))))
                .containsExactly(at(3, "users[0].password: hash is not 16 to 64 bytes of unpadded base64"));
    }
}
