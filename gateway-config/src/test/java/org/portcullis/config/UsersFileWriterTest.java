package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileWriterTest {
    private static final PasswordHash HASH = PasswordHash.parse(UsersFileLoaderTest.HASH).hash();

    @TempDir
    Path dir;

    @Test
    void writtenFileLoadsBackToTheSameUsers() throws Exception {
        List<UserEntry> users = List.of(
                new UserEntry("alice", "Zoë \"Al\" O'Brien \\ #1: x", "alice@example.org", List.of("clinicians"),
                        false, HASH),
                new UserEntry("bob", null, null, List.of(), true, HASH));
        Path file = dir.resolve("users.yml");

        new UsersFileWriter(new UsersFileLoader()).write(file, users);

        assertThat(new UsersFileLoader().load(file).users()).isEqualTo(users);
        assertThat(dir.toFile().list()).containsExactly("users.yml"); // no temporary file left behind
    }

    @Test
    void rendersEveryValueQuoted() {
        assertThat(UsersFileWriter.render(List.of(new UserEntry("alice", "Alice", "alice@example.org",
                List.of("a", "b"), false, HASH)))).isEqualTo("""
                # Portcullis users (docs/users.md). Edited by 'portcullis users'; comments are not kept.
                users:
                  - username: "alice"
                    display_name: "Alice"
                    email: "alice@example.org"
                    groups: ["a", "b"]
                    disabled: false
                    password: "%s"
                """.formatted(UsersFileLoaderTest.HASH));
    }

    @Test
    void controlCharactersCannotBreakOutOfTheirLine() {
        assertThat(UsersFileWriter.quote("a\nb\u2028c\"")).isEqualTo("\"a\\x0Ab\\u2028c\\\"\"");
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws Exception {
        Path file = dir.resolve("users.yml");
        new UsersFileWriter(new UsersFileLoader()).write(file,
                List.of(new UserEntry("alice", null, null, List.of(), false, HASH)));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));

        new UsersFileWriter(new UsersFileLoader()).write(file,
                List.of(new UserEntry("bob", null, null, List.of(), false, HASH)));

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
    }
}
