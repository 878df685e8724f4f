package org.portcullis.portal.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A user whose second factor is a security key reads about their key, never about a phone or an authenticator app
 * they do not have (issue 15): on the key-only sign-in page and on the recovery codes after a first key.
 */
class SecurityKeyWordingTest {
    static final PortalPages PAGES = PortalPagesTest.PAGES;

    @Test
    void theKeyOnlySignInPageSpeaksOfALostKey() {
        String keyOnly = PAGES.webauthn().secondFactor(200, "csrf", "/", Optional.empty(), false, false, "carol")
                .html();
        assertThat(keyOnly).contains("Lost your security key?").doesNotContainIgnoringCase("phone")
                .doesNotContainIgnoringCase("authenticator app").contains("carol");

        String withApp = PAGES.webauthn().secondFactor(200, "csrf", "/", Optional.empty(), true, false, "bob").html();
        assertThat(withApp).as("a user who also has an app may have lost either").contains(
                SecondFactorMessages.RECOVERY_TITLE).doesNotContain("Lost your security key?");
    }

    @Test
    void recoveryCodesAfterAFirstKeySpeakOfTheKey() {
        String html = PAGES.secondFactor().recoveryCodes(List.of("AAAA-BBBB"), "/", "csrf",
                SecondFactorPages.RecoveryCodesFor.SECURITY_KEY).html();
        assertThat(html).contains("security key").doesNotContainIgnoringCase("phone")
                .doesNotContainIgnoringCase("authenticator app is set up");

        String afterApp = PAGES.secondFactor().recoveryCodes(List.of("AAAA-BBBB"), "/", "csrf",
                SecondFactorPages.RecoveryCodesFor.APP).html();
        assertThat(afterApp).doesNotContain(SecondFactorMessages.RECOVERY_CODES_AFTER_KEY);
    }
}
