package org.portcullis.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real-browser tests need Debian's {@code chromium} and {@code chromium-driver} ({@code scripts/test.sh} installs
 * them). When they are missing a test is skipped with a message saying how to install them, except under
 * {@code CI=true}, where it fails: the browser tests must not silently disappear from CI (the same rule as the
 * oathtool cross-check in gateway-totp).
 *
 * <p>Use it as a class extension, {@code @ExtendWith(BrowserRequirement.class)}, so the whole class is skipped before
 * any server starts; {@link Browser#start()} checks again, so a test that forgets the extension is not worse off.
 */
public final class BrowserRequirement implements BeforeAllCallback {

    /** Debian package {@code chromium}. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Debian package {@code chromium-driver}. */
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Override
    public void beforeAll(ExtensionContext context) {
        require();
    }

    /** Returns normally when both executables are present; otherwise aborts the test, or fails it under CI=true. */
    public static void require() {
        require(CHROMIUM, CHROMEDRIVER, System.getenv("CI"));
    }

    static void require(Path chromium, Path chromedriver, String ciVariable) {
        List<String> missing = missing(chromium, chromedriver);
        if (missing.isEmpty()) {
            return;
        }
        String message = "real-browser test needs " + String.join(" and ", missing)
                + " (Debian: apt-get install chromium chromium-driver, or run scripts/test.sh as root)";
        if ("true".equals(ciVariable)) {
            fail(message + "; CI=true, so browser tests must run");
        }
        Assumptions.abort(message + "; skipped because CI is not 'true'");
    }

    private static List<String> missing(Path chromium, Path chromedriver) {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(chromium)) {
            missing.add(chromium.toString());
        }
        if (!Files.isExecutable(chromedriver)) {
            missing.add(chromedriver.toString());
        }
        return missing;
    }
}
