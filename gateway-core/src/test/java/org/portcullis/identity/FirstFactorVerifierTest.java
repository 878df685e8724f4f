package org.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portcullis.config.UserEntry;
import org.portcullis.config.UsersFile;
import org.portcullis.identity.FirstFactorResult.Failure;
import org.portcullis.identity.FirstFactorResult.Reason;
import org.portcullis.identity.FirstFactorResult.Success;

class FirstFactorVerifierTest {
    private final PasswordHasher real = new PasswordHasher(PasswordHasherTest.TINY);
    private final CountingHasher hasher = new CountingHasher(real, false);
    private final PasswordCheckPool pool = new PasswordCheckPool(1, 4);
    private final FirstFactorVerifier verifier = new FirstFactorVerifier(directory(), hasher, pool);

    @AfterEach
    void closePool() {
        pool.close();
    }

    private FileUserDirectory directory() {
        return new FileUserDirectory(new UsersFile(Path.of("users.yml"), List.of(
                new UserEntry("alice", "Alice Example", "alice@example.org", List.of("clinicians"), false,
                        real.hashOf("correct horse".toCharArray())),
                new UserEntry("bob", null, null, List.of(), true, real.hashOf("battery staple".toCharArray())))));
    }

    private FirstFactorResult check(String login, String password) throws Exception {
        return verifier.verify(login, password.toCharArray()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void rightPasswordSignsInByUsernameOrEmailInAnyCase() throws Exception {
        for (String login : List.of("alice", "ALICE", "alice@example.org", "Alice@EXAMPLE.org")) {
            FirstFactorResult result = check(login, "correct horse");
            assertThat(result).as(login).isInstanceOf(Success.class);
            assertThat(((Success) result).user().username()).isEqualTo("alice");
        }
    }

    @Test
    void wrongPasswordFailsForTheAccount() throws Exception {
        assertThat(check("Alice@example.org", "correct horse!"))
                .isEqualTo(new Failure(Reason.WRONG_PASSWORD, "alice"));
    }

    @Test
    void disabledAccountFailsEvenWithTheRightPassword() throws Exception {
        assertThat(check("bob", "battery staple")).isEqualTo(new Failure(Reason.DISABLED, "bob"));
    }

    @Test
    void unknownUserFails() throws Exception {
        assertThat(check("Mallory", "correct horse")).isEqualTo(new Failure(Reason.UNKNOWN_USER, "mallory"));
    }

    @Test
    void everyFailureShowsTheSameMessage() throws Exception {
        List<String> messages = List.of(
                ((Failure) check("alice", "nope")).userMessage(),
                ((Failure) check("bob", "battery staple")).userMessage(),
                ((Failure) check("mallory", "nope")).userMessage());
        assertThat(messages).containsOnly("Sign-in failed: the username or password is incorrect.");
    }

    @Test
    void everyOutcomeCostsExactlyOneHashOfTheSameCost() throws Exception {
        check("alice", "correct horse");
        check("alice", "wrong");
        check("bob", "battery staple");
        check("mallory", "anything");
        check("\u212Aate", "anything"); // not ASCII: never matches, still hashed

        assertThat(hasher.checks()).hasSize(5)
                .extracting(CountingHasher.Check::cost).containsOnly(PasswordHasherTest.TINY);
    }

    @Test
    void hashingRunsOnThePasswordPoolNotTheCaller() throws Exception {
        check("alice", "correct horse");
        check("mallory", "x");
        assertThat(hasher.checks()).extracting(CountingHasher.Check::thread)
                .allMatch(name -> name.startsWith("portcullis-password-"));
    }

    @Test
    void passwordIsWipedOnceChecked() throws Exception {
        char[] password = "correct horse".toCharArray();
        verifier.verify("alice", password).get(10, TimeUnit.SECONDS);
        assertThat(password).hasSize(13).containsOnly('\0');
    }

    @Test
    void fullQueueAnswersBusyAtOnceWithoutHashing() throws Exception {
        CountingHasher held = new CountingHasher(real, true);
        try (PasswordCheckPool small = new PasswordCheckPool(1, 1)) {
            FirstFactorVerifier busyVerifier = new FirstFactorVerifier(directory(), held, small);
            CompletableFuture<FirstFactorResult> running = busyVerifier.verify("alice", "correct horse".toCharArray());
            assertThat(held.started.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<FirstFactorResult> queued = busyVerifier.verify("alice", "correct horse".toCharArray());
            char[] shed = "correct horse".toCharArray();

            CompletableFuture<FirstFactorResult> refused = busyVerifier.verify("alice", shed);

            assertThat(refused).isCompletedWithValueMatching(r -> r instanceof FirstFactorResult.Busy);
            assertThat(((FirstFactorResult.Busy) refused.get()).userMessage())
                    .isEqualTo("Sign-in is busy. Please try again in a moment.");
            assertThat(shed).containsOnly('\0');
            held.release();
            assertThat(running.get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(queued.get(10, TimeUnit.SECONDS)).isInstanceOf(Success.class);
            assertThat(held.checks()).hasSize(2);
        }
    }

    @Test
    void userToStringNeverShowsTheHash() throws Exception {
        User alice = ((Success) check("alice", "correct horse")).user();
        String salt = java.util.Base64.getEncoder().withoutPadding().encodeToString(alice.passwordHash().salt());
        assertThat(alice.toString()).contains("passwordHash=(redacted)").doesNotContain(salt, "argon2");
    }
}
