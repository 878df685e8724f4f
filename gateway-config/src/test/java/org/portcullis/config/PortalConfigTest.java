package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code portal} section: the records a valid one builds, and one test per message with its full text (the
 * section starts on line 4, after {@link ConfigFiles#MINIMAL}).
 */
class PortalConfigTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
    static final String URL_ALLOWED = " (allowed: https://HOST[:PORT], or http://localhost[:PORT] or"
            + " http://127.0.0.1[:PORT] for local use)";
    static final String LOGO_ALLOWED = " (allowed: a PNG, SVG or JPEG file of at most 256 KiB)";

    @TempDir
    Path dir;

    ConfigFiles files;

    /** A portal needs somewhere to keep sessions and someone to sign in: appended after each test's lines. */
    static final String SIGN_IN = "storage:\n  data_dir: .\n  encryption_key: '" + "ab".repeat(32)
            + "'\nusers:\n  file: users.yaml\n";

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir).withSuffix(SIGN_IN);
        files.write("users.yaml", "users: []\n");
    }

    @Test
    void portalWithoutStorageAndUsersIsRefused() {
        ConfigFiles bare = new ConfigFiles(dir);
        assertThat(bare.errors(MINIMAL + "portal:\n  url: https://login.example.org\n")).containsExactly(
                bare.at(4, "portal: the portal needs a 'storage' section (allowed: add storage, or remove portal)"),
                bare.at(4, "portal: the portal needs a 'users' section (allowed: add users, or remove portal)"));
    }

    // --- valid sections ----------------------------------------------------------------------------------------

    @Test
    void fullSectionBuildsTheExpectedRecord() throws Exception {
        Path logo = write("logo.png", PNG);
        GatewayConfig config = files.load(MINIMAL + """
                portal:
                  url: https://Login.Example.org/
                  branding:
                    organisation: "Example NHS Trust"
                    logo: logo.png
                    primary_colour: "#005EB8"
                    support: "Call the IT service desk on 0123 456 7890"
                """).config();

        PortalConfig portal = config.portal();
        assertThat(portal.url()).isEqualTo(URI.create("https://login.example.org"));
        assertThat(portal.origin()).isEqualTo("https://login.example.org");
        assertThat(portal.branding().organisation()).isEqualTo("Example NHS Trust");
        assertThat(portal.branding().primaryColour().hex()).isEqualTo("#005eb8");
        assertThat(portal.branding().support()).contains("Call the IT service desk on 0123 456 7890");
        PortalLogo inlined = portal.branding().logo().orElseThrow();
        assertThat(inlined.file()).isEqualTo(logo);
        assertThat(inlined.dataUri()).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
        assertThat(inlined.toString()).doesNotContain(inlined.base64());
        assertThat(config.referencedFiles()).as("a new logo reloads the config").contains(logo);
    }

    @Test
    void noSectionMeansNoPortal() throws Exception {
        assertThat(files.load(MINIMAL).config().portal()).isNull();
    }

    @Test
    void brandingDefaultsWhenAbsent() throws Exception {
        PortalConfig portal = files.load(MINIMAL + "portal:\n  url: https://login.example.org\n").config().portal();
        assertThat(portal.branding()).isEqualTo(PortalBranding.defaults());
        assertThat(portal.branding().organisation()).isEqualTo("Portcullis");
        assertThat(portal.branding().primaryColour().hex()).isEqualTo("#005eb8");
        assertThat(portal.branding().logo()).isEmpty();
        assertThat(portal.branding().support()).isEmpty();
    }

    @Test
    void brandingKeysDefaultOneByOne() throws Exception {
        PortalBranding branding = files.load(MINIMAL + """
                portal:
                  url: https://login.example.org
                  branding:
                    support: "Ring 1234"
                """).config().portal().branding();
        assertThat(branding).isEqualTo(new PortalBranding("Portcullis", Optional.empty(),
                PortalBranding.DEFAULT_PRIMARY_COLOUR, Optional.of("Ring 1234")));
    }

    @ParameterizedTest
    @CsvSource({
            "https://login.example.org, https://login.example.org",
            "https://login.example.org:443/, https://login.example.org",
            "HTTPS://LOGIN.example.org:8443, https://login.example.org:8443",
            "http://localhost:8080, http://localhost:8080",
            "http://LocalHost, http://localhost",
            "http://127.0.0.1:80/, http://127.0.0.1",
            "https://[2001:db8::1]:9443, https://[2001:db8::1]:9443",
    })
    void urlIsNormalisedToAnOrigin(String written, String origin) throws Exception {
        assertThat(files.load(MINIMAL + "portal:\n  url: '" + written + "'\n").config().portal().origin())
                .isEqualTo(origin);
    }

    @Test
    void supportTextMayBreakLines() throws Exception {
        PortalBranding branding = files.load(MINIMAL + """
                portal:
                  url: https://login.example.org
                  branding:
                    support: |
                      Call the service desk
                      on 0123 456 7890
                """).config().portal().branding();
        assertThat(branding.support()).contains("Call the service desk\non 0123 456 7890\n");
    }

    @Test
    void jpegAndSvgLogosAreRecognisedByTheirBytes() throws Exception {
        write("logo.jpg", JPEG);
        write("logo.svg", ("\uFEFF<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").getBytes(StandardCharsets.UTF_8));
        write("named-png-but-jpeg.png", JPEG);
        assertThat(logoOf("logo.jpg").mediaType()).isEqualTo("image/jpeg");
        assertThat(logoOf("logo.svg").mediaType()).isEqualTo("image/svg+xml");
        assertThat(logoOf("named-png-but-jpeg.png").mediaType()).isEqualTo("image/jpeg");
    }

    @Test
    void logoOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] bytes = new byte[256 * 1024];
        System.arraycopy(PNG, 0, bytes, 0, PNG.length);
        write("big.png", bytes);
        assertThat(logoOf("big.png").base64()).hasSize(4 * ((bytes.length + 2) / 3));
    }

    // --- messages ----------------------------------------------------------------------------------------------

    @Test
    void urlIsRequired() {
        assertThat(files.onlyError(MINIMAL + "portal:\n  branding:\n    organisation: X\n"))
                .isEqualTo(files.at(4, "portal.url: missing (required)"));
    }

    @Test
    void sectionMustBeAMapping() {
        assertThat(files.onlyError(MINIMAL + "portal: https://login.example.org\n"))
                .isEqualTo(files.at(4, "portal: must be a mapping, not a string"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not a url                               | not a URL",
            "ftp://login.example.org                 | the scheme must be https",
            "login.example.org                       | the scheme must be https",
            "https:login.example.org                 | it has no host",
            "https://alice:pw@login.example.org      | user info is not allowed",
            "https://login_1.example.org             | the host is not a DNS name or IP address",
            "https://*.example.org                   | the host is not a DNS name or IP address",
            "http://login.example.org                | http is only allowed for localhost or 127.0.0.1",
            "http://localhost.example.org            | http is only allowed for localhost or 127.0.0.1",
            "http://127.0.0.2:8080                   | http is only allowed for localhost or 127.0.0.1",
            "https://login.example.org:0             | the port must be 1 to 65535",
            "https://login.example.org:70000         | the port must be 1 to 65535",
            "https://login.example.org/portal        | a path is not allowed",
            "https://login.example.org//             | a path is not allowed",
            "https://login.example.org/?next=x       | a query is not allowed",
            "https://login.example.org#top           | a fragment is not allowed",
    })
    void urlMustBeAnOrigin(String url, String reason) {
        assertThat(files.onlyError(MINIMAL + "portal:\n  url: '" + url + "'\n")).isEqualTo(files.at(5,
                "portal.url: '" + url + "' is not a portal URL: " + reason + URL_ALLOWED));
    }

    @Test
    void urlFromTheEnvironmentIsNeverShown() {
        ConfigFiles withEnv = new ConfigFiles(dir, java.util.Map.of("PORTAL", "http://intranet:8080")).withSuffix(SIGN_IN);
        assertThat(withEnv.onlyError(MINIMAL + "portal:\n  url: ${env:PORTAL}\n")).isEqualTo(withEnv.at(5,
                "portal.url: (redacted, 20 chars) is not a portal URL: http is only allowed for localhost or"
                        + " 127.0.0.1" + URL_ALLOWED));
    }

    @Test
    void unknownKeysGetAHint() {
        assertThat(files.errors(MINIMAL + """
                portal:
                  uri: https://login.example.org
                  branding:
                    primary_color: "#005eb8"
                    organization: X
                """)).containsExactly(
                files.at(4, "portal.url: missing (required)"),
                files.at(5, "portal.uri: unknown key (did you mean 'url'?)"),
                files.at(7, "portal.branding.primary_color: unknown key (did you mean 'primary_colour'?)"),
                files.at(8, "portal.branding.organization: unknown key (did you mean 'organisation'?)"));
    }

    @Test
    void organisationTooLong() {
        String name = "N".repeat(101);
        assertThat(files.onlyError(branding("organisation: " + name))).isEqualTo(files.at(7,
                "portal.branding.organisation: '" + name + "' is not an organisation name (allowed: 1 to 100"
                        + " characters, no control characters)"));
    }

    @Test
    void organisationWithAControlCharacter() {
        assertThat(files.onlyError(branding("organisation: \"Example\\tTrust\""))).isEqualTo(files.at(7,
                "portal.branding.organisation: 'Example\\tTrust' is not an organisation name (allowed: 1 to 100"
                        + " characters, no control characters)"));
    }

    // --- help_contact ------------------------------------------------------------------------------------------

    @Test
    void helpContactIsKeptStripped() throws Exception {
        GatewayConfig config = files.load(MINIMAL + "portal:\n  url: https://login.example.org\n"
                + "  help_contact: ' IT service desk: 0123 456 7890 '\n").config();
        assertThat(config.portal().helpContact()).contains("IT service desk: 0123 456 7890");
    }

    @Test
    void helpContactIsOptional() throws Exception {
        assertThat(files.load(MINIMAL + "portal:\n  url: https://login.example.org\n").config().portal()
                .helpContact()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'  '", "\"Ring\\n1234\"", "\"Ring \\e[31m1234\""})
    void helpContactNotOneLine(String value) {
        assertThat(files.onlyError(MINIMAL + "portal:\n  url: https://login.example.org\n  help_contact: "
                + value + "\n")).startsWith(files.at(6, "portal.help_contact: ")).endsWith(
                " is not a help contact (allowed: one line of 1 to 200 characters, no control characters,"
                        + " e.g. 'IT service desk: 0123 456 7890')");
    }

    @Test
    void helpContactTooLong() {
        String text = "h".repeat(201);
        assertThat(files.onlyError(MINIMAL + "portal:\n  url: https://login.example.org\n  help_contact: "
                + text + "\n")).isEqualTo(files.at(6, "portal.help_contact: '" + text + "' is not a help contact"
                + " (allowed: one line of 1 to 200 characters, no control characters,"
                + " e.g. 'IT service desk: 0123 456 7890')"));
    }

    @Test
    void organisationEmpty() {
        assertThat(files.onlyError(branding("organisation: ''"))).isEqualTo(files.at(7,
                "portal.branding.organisation: is empty (allowed: a non-empty value)"));
    }

    @Test
    void organisationOfOneHundredCharactersIsAccepted() throws Exception {
        String name = "\u00e9".repeat(100);
        assertThat(files.load(branding("organisation: " + name)).config().portal().branding().organisation())
                .isEqualTo(name);
    }

    @Test
    void supportTooLong() {
        String text = "s".repeat(301);
        assertThat(files.onlyError(branding("support: " + text))).isEqualTo(files.at(7,
                "portal.branding.support: '" + text + "' is not a support text (allowed: at most 300 characters,"
                        + " no control characters other than line breaks)"));
    }

    @Test
    void supportWithAnEscapeCharacter() {
        assertThat(files.onlyError(branding("support: \"Ring \\e[31m1234\""))).isEqualTo(files.at(7,
                "portal.branding.support: 'Ring \\x1B[31m1234' is not a support text (allowed: at most 300"
                        + " characters, no control characters other than line breaks)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blue", "#05b", "#005eb8ff", "005eb8", "#00 5eb8", "#gg5eb8"})
    void colourNotHex(String colour) {
        assertThat(files.onlyError(branding("primary_colour: '" + colour + "'"))).isEqualTo(files.at(7,
                "portal.branding.primary_colour: '" + colour + "' is not a colour (allowed: #rrggbb, e.g."
                        + " #005eb8)"));
    }

    @ParameterizedTest
    @CsvSource({
            "#777777, 4.47",
            "#ffffff, 1.00",
            "#ffbf47, 1.64",
    })
    void colourWithTooLittleContrast(String colour, String ratio) {
        assertThat(files.onlyError(branding("primary_colour: '" + colour + "'"))).isEqualTo(files.at(7,
                "portal.branding.primary_colour: '" + colour + "' has a contrast ratio of " + ratio
                        + ":1 with white text (allowed: at least 4.5:1, WCAG 2.1 AA, e.g. #005eb8)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#767676", "#1d70b8", "#000000"})
    void colourWithEnoughContrastLoads(String colour) throws Exception {
        assertThat(files.load(branding("primary_colour: '" + colour + "'")).config().portal().branding()
                .primaryColour().hex()).isEqualTo(colour);
    }

    @Test
    void logoMissing() {
        assertThat(files.onlyError(branding("logo: logo.png"))).isEqualTo(files.at(7,
                "portal.branding.logo: 'logo.png' is not a readable file (no such file)"));
    }

    @Test
    void logoTooLarge() throws Exception {
        byte[] bytes = new byte[256 * 1024 + 1];
        System.arraycopy(PNG, 0, bytes, 0, PNG.length);
        write("big.png", bytes);
        assertThat(files.onlyError(branding("logo: big.png"))).isEqualTo(files.at(7,
                "portal.branding.logo: 'big.png' is larger than 256 KiB (262145 bytes)" + LOGO_ALLOWED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html><script>alert(1)</script></html>", "GIF89a", "", "<svgx/>",
            "<!-- <svg> --><html/>", "\u0000<svg/>"})
    void logoNotAnImage(String content) throws Exception {
        write("logo.png", content.getBytes(StandardCharsets.UTF_8));
        assertThat(files.onlyError(branding("logo: logo.png"))).isEqualTo(files.at(7,
                "portal.branding.logo: 'logo.png' is not a PNG, SVG or JPEG image" + LOGO_ALLOWED));
    }

    @Test
    void everyBrandingErrorIsReportedTogether() {
        assertThat(files.errors(MINIMAL + """
                portal:
                  url: http://login.example.org
                  branding:
                    organisation: ''
                    logo: nope.png
                    primary_colour: '#777777'
                """)).hasSize(4);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** A portal section with one branding key on line 7. */
    private static String branding(String line) {
        return MINIMAL + "portal:\n  url: https://login.example.org\n  branding:\n    " + line + "\n";
    }

    private PortalLogo logoOf(String name) throws ConfigException {
        return files.load(branding("logo: " + name)).config().portal().branding().logo().orElseThrow();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
