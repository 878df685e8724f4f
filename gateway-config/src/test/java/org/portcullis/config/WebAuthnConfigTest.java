package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code webauthn} section: the records a valid one builds, the defaults derived from the portal, and one test
 * per message with its full text (the section starts on line 4, after {@link ConfigFiles#MINIMAL}).
 */
class WebAuthnConfigTest {
    static final String PORTAL = "portal:\n  url: https://login.example.org\n  branding:\n"
            + "    organisation: Example Health Trust\n";
    static final String YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir).withSuffix(PORTAL + PortalConfigTest.SIGN_IN);
        files.write("users.yaml", "users: []\n");
    }

    @Test
    void withoutTheSectionTheRelyingPartyIsThePortal() throws Exception {
        GatewayConfig config = files.load(MINIMAL).config();
        WebAuthnConfig webauthn = config.webauthn();
        assertThat(webauthn).isEqualTo(WebAuthnConfig.defaults());
        assertThat(webauthn.rpIdFor(config.portal())).isEqualTo("login.example.org");
        assertThat(webauthn.rpNameFor(config.portal())).isEqualTo("Example Health Trust");
        assertThat(webauthn.originsFor(config.portal())).containsExactly("https://login.example.org");
        assertThat(webauthn.attestation()).isEqualTo(WebAuthnConfig.Attestation.NONE);
        assertThat(webauthn.userVerification()).isEqualTo(WebAuthnConfig.UserVerification.PREFERRED);
        assertThat(webauthn.algorithms()).containsExactly(WebAuthnConfig.Algorithm.ES256,
                WebAuthnConfig.Algorithm.EDDSA, WebAuthnConfig.Algorithm.RS256);
        assertThat(webauthn.disableOnClone()).isTrue();
    }

    @Test
    void fullSectionBuildsTheExpectedRecord() throws Exception {
        GatewayConfig config = files.load(MINIMAL + """
                webauthn:
                  rp_id: Example.org
                  rp_name: Example Trust sign-in
                  origins: [https://login.example.org, "https://login2.example.org:8443"]
                  attestation: direct
                  aaguids: [%s]
                  user_verification: required
                  algorithms: [ES256, eddsa]
                  disable_on_clone: false
                  passwordless: true
                """.formatted(YUBIKEY_5)).config();
        WebAuthnConfig webauthn = config.webauthn();
        assertThat(webauthn.rpIdFor(config.portal())).isEqualTo("example.org");
        assertThat(webauthn.rpName()).contains("Example Trust sign-in");
        assertThat(webauthn.originsFor(config.portal())).containsExactly("https://login.example.org",
                "https://login2.example.org:8443");
        assertThat(webauthn.attestation()).isEqualTo(WebAuthnConfig.Attestation.DIRECT);
        assertThat(webauthn.aaguids()).containsExactly(UUID.fromString(YUBIKEY_5));
        assertThat(webauthn.userVerification()).isEqualTo(WebAuthnConfig.UserVerification.REQUIRED);
        assertThat(webauthn.algorithms()).containsExactly(WebAuthnConfig.Algorithm.ES256,
                WebAuthnConfig.Algorithm.EDDSA);
        assertThat(webauthn.disableOnClone()).isFalse();
        assertThat(webauthn.passwordless()).isTrue();
    }

    @Test
    void discouragedUserVerificationAndAnEmptySection() throws Exception {
        assertThat(files.load(MINIMAL + "webauthn:\n  user_verification: discouraged\n").config().webauthn()
                .userVerification()).isEqualTo(WebAuthnConfig.UserVerification.DISCOURAGED);
        assertThat(files.load(MINIMAL + "webauthn: {}\n").config().webauthn()).isEqualTo(WebAuthnConfig.defaults());
        assertThat(files.load(MINIMAL + "webauthn: {rp_id: login.example.org}\n").config().webauthn().rpId())
                .isEqualTo(Optional.of("login.example.org"));
    }

    // --- messages ----------------------------------------------------------------------------------------------

    @Test
    void webauthnWithoutPortalIsRefused() {
        ConfigFiles bare = new ConfigFiles(dir);
        assertThat(bare.errors(MINIMAL + "webauthn:\n  attestation: none\n")).containsExactly(bare.at(4,
                "webauthn: webauthn needs a 'portal' section: the relying party is the portal (allowed: add portal,"
                        + " or remove webauthn)"));
    }

    @Test
    void rpIdMustBeADnsName() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  rp_id: 10.0.0.1x_\n")).isEqualTo(files.at(5,
                "webauthn.rp_id: '10.0.0.1x_' is not an RP ID (allowed: a DNS name, the portal's host or a domain it is"
                        + " in, e.g. example.org)"));
    }

    @Test
    void rpIdMustContainThePortalHost() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  rp_id: other.org\n")).isEqualTo(files.at(5,
                "webauthn.rp_id: 'other.org' is not the portal's host login.example.org or a domain it is in (allowed:"
                        + " login.example.org or a suffix of it at a dot; browsers refuse any other RP ID)"));
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  rp_id: ample.org\n")).as("a suffix only at a dot")
                .contains("'ample.org' is not the portal's host");
    }

    @Test
    void rpNameIsOneLineOfText() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  rp_name: \"" + "x".repeat(65) + "\"\n")).isEqualTo(
                files.at(5, "webauthn.rp_name: '" + "x".repeat(65) + "' is not a relying party name (allowed: 1 to 64"
                        + " characters, no control characters)"));
    }

    @Test
    void originsAreOriginsWithinTheRpId() {
        assertThat(files.errors(MINIMAL + """
                webauthn:
                  origins:
                    - https://login.example.org/path
                    - http://login.example.org
                    - https://evil.example.net
                """)).containsExactly(
                files.at(6, "webauthn.origins[0]: 'https://login.example.org/path' is not an origin (allowed:"
                        + " https://HOST[:PORT], or http://localhost[:PORT] for local use)"),
                files.at(7, "webauthn.origins[1]: 'http://login.example.org' is not an origin (allowed:"
                        + " https://HOST[:PORT], or http://localhost[:PORT] for local use)"),
                files.at(8, "webauthn.origins[2]: 'https://evil.example.net' is not within the RP ID login.example.org"
                        + " (allowed: an origin whose host is login.example.org or ends with .login.example.org)"));
    }

    @Test
    void attestationIsNoneOrDirect() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  attestation: indirect\n")).isEqualTo(files.at(5,
                "webauthn.attestation: 'indirect' is not an attestation conveyance (allowed: none, direct)"));
    }

    @Test
    void aaguidsAreUuidsAndNeedDirectAttestation() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  attestation: direct\n  aaguids: [yubikey]\n"))
                .isEqualTo(files.at(6, "webauthn.aaguids[0]: 'yubikey' is not an AAGUID (allowed: a UUID, e.g."
                        + " cb69481e-8ff7-4039-93ec-0a2729a154a8)"));
        String withoutDirect = "webauthn.aaguids: only allowed with attestation: direct (without an attestation"
                + " statement the AAGUID is whatever the authenticator claims)";
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  aaguids: [" + YUBIKEY_5 + "]\n"))
                .isEqualTo(files.at(5, withoutDirect));
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  attestation: none\n  aaguids: [" + YUBIKEY_5 + "]\n"))
                .isEqualTo(files.at(6, withoutDirect));
    }

    @Test
    void userVerificationHasThreeValues() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  user_verification: always\n")).isEqualTo(files.at(5,
                "webauthn.user_verification: 'always' is not a user verification requirement (allowed: preferred,"
                        + " required, discouraged)"));
    }

    @Test
    void algorithmsAreKnownAndListedOnce() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  algorithms: [ES256, PS256]\n")).isEqualTo(files.at(5,
                "webauthn.algorithms[1]: 'PS256' is not a credential algorithm (allowed: ES256, EdDSA, RS256)"));
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  algorithms: [ES256, es256]\n")).isEqualTo(files.at(5,
                "webauthn.algorithms: an algorithm is listed twice (allowed: each of ES256, EdDSA, RS256 at most"
                        + " once)"));
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  algorithms: []\n")).startsWith(files.at(5,
                "webauthn.algorithms: "));
    }

    @Test
    void disableOnCloneIsABoolean() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  disable_on_clone: sometimes\n")).isEqualTo(files.at(5,
                "webauthn.disable_on_clone: 'sometimes' is not a boolean (allowed: true, false)"));
    }

    @Test
    void passwordlessIsABooleanAndOffByDefault() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  passwordless: yes please\n")).isEqualTo(files.at(5,
                "webauthn.passwordless: 'yes please' is not a boolean (allowed: true, false)"));
        assertThat(WebAuthnConfig.defaults().passwordless()).isFalse();
    }

    @Test
    void unknownKeysAreNamed() {
        assertThat(files.onlyError(MINIMAL + "webauthn:\n  rpid: example.org\n")).isEqualTo(files.at(5,
                "webauthn.rpid: unknown key (did you mean 'rp_id'?)"));
        assertThat(List.of(WebAuthnValidator.KEYS)).isNotEmpty();
    }
}
