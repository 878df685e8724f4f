package org.portcullis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 (low): the CI entry point {@code .ci/run} sets {@code CI=true} itself, so a test that needs a system tool
 * ({@link BrowserRequirement} and its kind) fails where the tool is missing, on any CI system, also one that sets no
 * {@code CI} or sets it otherwise. The real script runs from a copy of the repository's layout whose
 * {@code scripts/test.sh} only reports the {@code CI} it was given.
 */
class CiRunScriptTest {
    static final Path SCRIPT = Path.of("../.ci/run");

    @TempDir
    Path repo;

    @ParameterizedTest(name = "CI before: {0}")
    @ValueSource(strings = {"(unset)", "", "false", "1"})
    void theTestSuiteAlwaysRunsWithCiTrue(String before) throws Exception {
        Files.createDirectories(repo.resolve(".ci"));
        Files.createDirectories(repo.resolve("scripts"));
        Path run = repo.resolve(".ci/run");
        Files.copy(SCRIPT, run);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(repo.resolve("scripts/test.sh"), "printf 'CI=%s\\n' \"${CI-unset}\"\n",
                StandardCharsets.US_ASCII);

        ProcessBuilder builder = new ProcessBuilder(run.toString()).redirectErrorStream(true);
        if (before.equals("(unset)")) {
            builder.environment().remove("CI");
        } else {
            builder.environment().put("CI", before);
        }
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("CI=true\n");
    }
}
