package org.portcullis.directory;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.portcullis.fixtures.Slapd;

/**
 * The directory tests need Debian's {@code slapd} and {@code ldap-utils} ({@code scripts/test.sh} installs them).
 * Without them a test class is skipped, saying how to install them, except under {@code CI=true}, where it fails:
 * the directory tests must not silently disappear from CI (as with the browser and oathtool checks).
 * Use it as {@code @ExtendWith(SlapdRequirement.class)}, so the class is skipped before anything starts.
 */
public final class SlapdRequirement implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        require(Slapd.missing(), System.getenv("CI"));
    }

    static void require(Optional<String> missing, String ci) {
        if (missing.isEmpty()) {
            return;
        }
        if ("true".equals(ci)) {
            fail(missing.get() + "; CI=true, so the directory tests must run");
        }
        Assumptions.abort(missing.get() + "; skipped because CI is not 'true'");
    }
}
