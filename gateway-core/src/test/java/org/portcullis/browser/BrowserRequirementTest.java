package org.portcullis.browser;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A machine without Chromium skips the browser tests, but CI must not: there they fail. */
class BrowserRequirementTest {

    @TempDir
    Path dir;

    @Test
    void missingBrowserSkipsOutsideCiAndSaysHowToInstallIt() {
        Path absent = dir.resolve("chromium");

        assertThatThrownBy(() -> BrowserRequirement.require(absent, BrowserRequirement.CHROMEDRIVER, null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("apt-get install chromium chromium-driver");
        assertThatThrownBy(() -> BrowserRequirement.require(absent, BrowserRequirement.CHROMEDRIVER, "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void missingDriverFailsUnderCi() {
        Path absent = dir.resolve("chromedriver");

        assertThatThrownBy(() -> BrowserRequirement.require(BrowserRequirement.CHROMIUM, absent, "true"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("CI=true");
    }

    @Test
    void presentExecutablesPassEvenUnderCi() throws Exception {
        Path executable = Files.createFile(dir.resolve("fake-browser"));
        executable.toFile().setExecutable(true);

        assertThatCode(() -> BrowserRequirement.require(executable, executable, "true")).doesNotThrowAnyException();
    }
}
