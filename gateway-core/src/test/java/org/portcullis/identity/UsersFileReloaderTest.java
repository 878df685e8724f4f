package org.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.UsersFileLoader;

class UsersFileReloaderTest {
    private static final UsersFileLoader LOADER = UsersFileLoader.unsafeAcceptingAnyHashCost();
    private static final String HASH = new PasswordHasher(PasswordHasherTest.TINY).hash("pw".toCharArray());

    @TempDir
    Path dir;

    private Path write(String name, String... usernames) throws Exception {
        StringBuilder yaml = new StringBuilder("users:\n");
        for (String username : usernames) {
            yaml.append("  - username: ").append(username).append("\n    email: ").append(username)
                    .append("@example.org\n    password: \"").append(HASH).append("\"\n");
        }
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void findsByCanonicalUsernameOrEmailOnly() throws Exception {
        FileUserDirectory directory = new FileUserDirectory(LOADER.load(write("users.yml", "Alice", "kate")));

        assertThat(directory.find("ALICE")).map(User::username).contains("alice");
        assertThat(directory.find("alice@EXAMPLE.org")).map(User::username).contains("alice");
        assertThat(directory.find(" alice")).isEmpty();
        assertThat(directory.find("kate")).isPresent();
        // U+212A KELVIN SIGN lowercases to 'k', but is not the same login as "kate".
        assertThat(directory.find("\u212Aate")).isEmpty();
        assertThat(directory.find("")).isEmpty();
        assertThat(directory.find(null)).isEmpty();
        assertThat(directory.size()).isEqualTo(2);
    }

    @Test
    void validFileReplacesTheUsers() throws Exception {
        Path file = write("users.yml", "alice");
        FileUserDirectory directory = new FileUserDirectory(LOADER.load(file));
        UsersFileReloader reloader = new UsersFileReloader(file, LOADER, directory, (outcome, errors) -> { });
        write("users.yml", "bob");

        assertThat(reloader.reload()).isEqualTo(UsersFileReloader.Outcome.APPLIED);

        assertThat(directory.find("bob")).isPresent();
        assertThat(directory.find("alice")).isEmpty();
    }

    @Test
    void badFileIsRefusedAndTheOldUsersStay() throws Exception {
        Path file = write("users.yml", "alice");
        FileUserDirectory directory = new FileUserDirectory(LOADER.load(file));
        UsersFileReloader reloader = new UsersFileReloader(file, LOADER, directory, (outcome, errors) -> { });
        Files.writeString(file, "users:\n  - username: bob\n    pasword: x\n");

        assertThat(reloader.reload()).isEqualTo(UsersFileReloader.Outcome.REFUSED);

        assertThat(directory.find("alice")).isPresent();
        assertThat(directory.find("bob")).isEmpty();
    }

    @Test
    void watcherReloadsAFileMovedIntoPlace() throws Exception {
        Path file = write("users.yml", "alice");
        FileUserDirectory directory = new FileUserDirectory(LOADER.load(file));
        CompletableFuture<UsersFileReloader.Outcome> reloaded = new CompletableFuture<>();
        try (UsersFileReloader reloader = new UsersFileReloader(file, LOADER, directory, (outcome, errors) -> reloaded.complete(outcome))) {
            reloader.start();
            Path next = write("users.yml.tmp", "carol");
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertThat(reloaded.get(20, TimeUnit.SECONDS)).isEqualTo(UsersFileReloader.Outcome.APPLIED);
        }
        assertThat(directory.find("carol")).isPresent();
    }
}
