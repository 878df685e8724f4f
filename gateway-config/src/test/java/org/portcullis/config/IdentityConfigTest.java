package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.config.ConfigFiles.MINIMAL;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code routes[].identity_headers}, {@code routes[].jwt} and the {@code identity} section: the records a valid
 * config gives, and the full text of every message (docs/configuration.md lists them).
 */
class IdentityConfigTest {
    /** A route on lines 4 to 7; identity settings appended start on line 8. */
    static final String ROUTE = MINIMAL + """
            routes:
              - name: records
                host: records.example.org
                upstream: http://10.1.2.3:8080
            """;

    @TempDir
    Path dir;

    ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(dir);
    }

    static String pem(byte[] der, String label) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static ECPrivateKey newKey(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return (ECPrivateKey) generator.generateKeyPair().getPrivate();
    }

    String storage() {
        return "storage:\n  data_dir: data\n  encryption_key: " + "00".repeat(32) + "\n";
    }

    RouteConfig onlyRoute(String yaml) throws Exception {
        return files.load(yaml).config().routes().get(0);
    }

    // --- records -----------------------------------------------------------------------------------------------

    @Test
    void routeWithoutIdentitySettingsSendsRemoteHeadersAndNoJwt() throws Exception {
        RouteConfig route = onlyRoute(ROUTE);
        assertThat(route.identityHeaders()).isEqualTo(IdentityHeaders.REMOTE);
        assertThat(route.identityHeaders().names())
                .containsExactly("Remote-User", "Remote-Groups", "Remote-Name", "Remote-Email");
        assertThat(route.jwt()).isNull();
        assertThat(files.load(ROUTE).config().identity()).isNull();
    }

    @Test
    void presetFamilies() throws Exception {
        assertThat(onlyRoute(ROUTE + "    identity_headers: x_forwarded\n").identityHeaders().names())
                .containsExactly("X-Forwarded-User", "X-Forwarded-Groups", "X-Forwarded-Name", "X-Forwarded-Email");
        assertThat(onlyRoute(ROUTE + "    identity_headers: none\n").identityHeaders().names()).isEmpty();
        assertThat(onlyRoute(ROUTE + "    identity_headers: remote\n").identityHeaders())
                .isEqualTo(IdentityHeaders.REMOTE);
    }

    @Test
    void customNamesKeepTheirSpellingAndLeaveOutWhatIsNotNamed() throws Exception {
        RouteConfig route = onlyRoute(ROUTE + "    identity_headers: {user: X-Employee-Id, email: X-Mail}\n");
        assertThat(route.identityHeaders()).isEqualTo(new IdentityHeaders(Optional.of("X-Employee-Id"),
                Optional.empty(), Optional.empty(), Optional.of("X-Mail")));
    }

    @Test
    void jwtTrueTakesTheDefaults() throws Exception {
        RouteConfig route = onlyRoute(ROUTE + "    jwt: true\n" + storage());
        assertThat(route.jwt()).isEqualTo(new JwtAssertionConfig("X-Portcullis-Assertion", Duration.ofSeconds(60)));
        assertThat(onlyRoute(ROUTE + "    jwt: false\n").jwt()).isNull();
    }

    @Test
    void jwtMapping() throws Exception {
        RouteConfig route = onlyRoute(ROUTE + "    jwt: {header: X-Assertion, lifetime: 5s}\n" + storage());
        assertThat(route.jwt()).isEqualTo(new JwtAssertionConfig("X-Assertion", Duration.ofSeconds(5)));
    }

    @Test
    void identitySectionWithKeyFile() throws Exception {
        ECPrivateKey key = newKey("secp256r1");
        Path keyFile = files.write("jwt-key.pem", pem(key.getEncoded(), "PRIVATE KEY"));
        GatewayConfig config = files.load(ROUTE + "    jwt: true\n" + """
                identity:
                  issuer: https://login.example.org
                  signing_key: ${file:%s}
                """.formatted(keyFile)).config();
        assertThat(config.identity().issuer()).isEqualTo("https://login.example.org");
        assertThat(config.identity().signingKey().getS()).isEqualTo(key.getS());
        assertThat(config.identity().toString()).doesNotContain(key.getS().toString(16))
                .isEqualTo("IdentityConfig[issuer=https://login.example.org, signingKey=(redacted)]");
        assertThat(config.referencedFiles()).contains(keyFile);
    }

    @Test
    void issuerDefaultsToThePortalThenToPortcullis() throws Exception {
        assertThat(IdentityConfig.issuer(null, null)).isEqualTo("portcullis");
        assertThat(IdentityConfig.issuer(null, java.net.URI.create("https://login.example.org")))
                .isEqualTo("https://login.example.org");
        assertThat(IdentityConfig.issuer(new IdentityConfig("hospital-gw", null),
                java.net.URI.create("https://login.example.org"))).isEqualTo("hospital-gw");
        IdentityConfig keyOnly = files.load(ROUTE + "identity: {issuer: gw.example_1}\n").config().identity();
        assertThat(keyOnly).isEqualTo(new IdentityConfig("gw.example_1", null));
    }

    // --- messages: identity_headers ----------------------------------------------------------------------------

    @Test
    void unknownIdentityHeadersPreset() {
        assertThat(files.onlyError(ROUTE + "    identity_headers: authelia\n")).isEqualTo(files.at(8,
                "routes[0].identity_headers: 'authelia' is not an identity_headers setting (allowed: remote, "
                        + "x_forwarded, none, or a mapping of user, groups, name and email to header names)"));
    }

    @Test
    void identityHeadersAsList() {
        assertThat(files.onlyError(ROUTE + "    identity_headers: [Remote-User]\n")).isEqualTo(files.at(8,
                "routes[0].identity_headers: must be a string or a mapping, not a list"));
    }

    @Test
    void emptyIdentityHeadersMapping() {
        assertThat(files.onlyError(ROUTE + "    identity_headers: {}\n")).isEqualTo(files.at(8,
                "routes[0].identity_headers: is an empty mapping (allowed: at least one of user, groups, name, "
                        + "email; or write none)"));
    }

    @Test
    void unknownIdentityHeaderKey() {
        assertThat(files.onlyError(ROUTE + "    identity_headers:\n      mail: X-Mail\n")).isEqualTo(files.at(9,
                "routes[0].identity_headers.mail: unknown key (did you mean 'email'?)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'Remote User'", "'X-User:'", "'Zoë'", "'X-(User)'"})
    void headerNameNotAToken(String name) {
        String shown = name.equals("'Zoë'") ? "'Zo\\xEB'" : name;
        assertThat(files.onlyError(ROUTE + "    identity_headers: {user: " + name + "}\n")).isEqualTo(files.at(8,
                "routes[0].identity_headers.user: " + shown + " is not a header name (allowed: an RFC 9110 token "
                        + "of letters, digits and !#$%&'*+-.^_`|~)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cookie", "host", "Content_Length", "Transfer-Encoding", "Authorization",
            "X-Forwarded-For", "x_forwarded_proto", "X-Original-URL", "Connection", "Sec-WebSocket-Key", "Forwarded"})
    void reservedHeaderName(String name) {
        assertThat(files.onlyError(ROUTE + "    identity_headers: {groups: " + name + "}\n")).isEqualTo(files.at(8,
                "routes[0].identity_headers.groups: '" + name + "' is reserved (allowed: a name that is not a "
                        + "framing, hop-by-hop, credential, forwarding, URL-override or Sec- header, in any spelling)"));
    }

    @Test
    void sameHeaderNameTwiceInAnySpelling() {
        assertThat(files.onlyError(ROUTE + "    identity_headers:\n      user: X-User\n      name: x_user\n"))
                .isEqualTo(files.at(10, "routes[0].identity_headers.name: 'x_user' is already used by "
                        + "routes[0].identity_headers.user"));
    }

    // --- messages: jwt -----------------------------------------------------------------------------------------

    @Test
    void jwtNotBooleanOrMapping() {
        assertThat(files.onlyError(ROUTE + "    jwt: yes\n" + storage())).isEqualTo(files.at(8,
                "routes[0].jwt: 'yes' is not a jwt setting (allowed: true, false, or a mapping with header and "
                        + "lifetime)"));
    }

    @Test
    void jwtWithoutSigningKeyOrStorage() {
        assertThat(files.onlyError(ROUTE + "    jwt: true\n")).isEqualTo(files.at(8,
                "routes[0].jwt: needs a signing key (allowed: set identity.signing_key, or configure storage so "
                        + "that the gateway generates one and keeps it there)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"61s", "2m", "4s", "500ms"})
    void jwtLifetimeOutOfRange(String lifetime) {
        assertThat(files.onlyError(ROUTE + "    jwt:\n      lifetime: " + lifetime + "\n" + storage()))
                .isEqualTo(files.at(9, "routes[0].jwt.lifetime: '" + lifetime + "' is out of range (allowed: 5s to "
                        + "60s)"));
    }

    @Test
    void jwtLifetimeNotADuration() {
        assertThat(files.onlyError(ROUTE + "    jwt:\n      lifetime: 30\n" + storage())).isEqualTo(files.at(9,
                "routes[0].jwt.lifetime: '30' is not a duration (allowed: a positive whole number with ms, s, m, h "
                        + "or d, e.g. 10s)"));
    }

    @Test
    void jwtHeaderReserved() {
        assertThat(files.onlyError(ROUTE + "    jwt: {header: Authorization}\n" + storage())).isEqualTo(files.at(8,
                "routes[0].jwt.header: 'Authorization' is reserved (allowed: a name that is not a framing, "
                        + "hop-by-hop, credential, forwarding, URL-override or Sec- header, in any spelling)"));
    }

    @Test
    void jwtHeaderSameAsAnIdentityHeader() {
        assertThat(files.onlyError(ROUTE + "    jwt: {header: REMOTE_USER}\n" + storage())).isEqualTo(files.at(8,
                "routes[0].jwt.header: 'REMOTE_USER' is already used by routes[0].identity_headers"));
    }

    @Test
    void jwtDefaultHeaderTakenByACustomIdentityHeader() {
        assertThat(files.onlyError(ROUTE + "    identity_headers: {user: X-Portcullis-Assertion}\n    jwt: true\n"
                + storage())).isEqualTo(files.at(9,
                "routes[0].jwt: 'X-Portcullis-Assertion' is already used by routes[0].identity_headers.user"));
    }

    @Test
    void unknownJwtKey() {
        assertThat(files.onlyError(ROUTE + "    jwt:\n      ttl: 30s\n" + storage())).isEqualTo(files.at(9,
                "routes[0].jwt.ttl: unknown key (allowed: header, lifetime)"));
    }

    // --- messages: identity ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ftp://login.example.org", "https://login.example.org/?a=1", "https://u@login.example.org",
            "login example", "urn:portcullis"})
    void notAnIssuer(String issuer) {
        assertThat(files.onlyError(ROUTE + "identity:\n  issuer: '" + issuer + "'\n")).isEqualTo(files.at(9,
                "identity.issuer: '" + issuer + "' is not an issuer (allowed: an http or https URL without user "
                        + "info, query or fragment, or a name of letters, digits, '.', '_' and '-')"));
    }

    @Test
    void unknownIdentityKey() {
        assertThat(files.onlyError(ROUTE + "identity:\n  signing_keys: x\n")).isEqualTo(files.at(9,
                "identity.signing_keys: unknown key (did you mean 'signing_key'?)"));
    }

    @Test
    void signingKeyOnAnotherCurve() throws Exception {
        String text = pem(newKey("secp384r1").getEncoded(), "PRIVATE KEY");
        assertThat(signingKeyError(text)).isEqualTo(keyMessage(text, "the curve is not P-256"));
    }

    @Test
    void signingKeyNotEc() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String text = pem(rsa.generateKeyPair().getPrivate().getEncoded(), "PRIVATE KEY");
        assertThat(signingKeyError(text)).isEqualTo(keyMessage(text, "it is not a PKCS#8 EC private key"));
    }

    @Test
    void signingKeySec1() throws Exception {
        String text = pem(new byte[] {1, 2, 3}, "EC PRIVATE KEY");
        assertThat(signingKeyError(text)).isEqualTo(keyMessage(text,
                "it is a SEC1 'EC PRIVATE KEY' block; convert it with openssl pkcs8 -topk8 -nocrypt"));
    }

    @Test
    void signingKeyEncrypted() throws Exception {
        String text = pem(new byte[] {1, 2, 3}, "ENCRYPTED PRIVATE KEY");
        assertThat(signingKeyError(text)).isEqualTo(keyMessage(text,
                "it is encrypted; decrypt it with openssl pkcs8 -nocrypt"));
    }

    @Test
    void signingKeyNotPem() throws Exception {
        String text = "not a key at all";
        assertThat(signingKeyError(text)).isEqualTo(keyMessage(text,
                "it is not one '-----BEGIN PRIVATE KEY-----' block"));
    }

    @Test
    void signingKeyBadBase64() throws Exception {
        String text = "-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n";
        assertThat(signingKeyError(text)).isEqualTo(keyMessage(text, "the block is not base64"));
    }

    @Test
    void signingKeyWrittenInlineIsNeverShown() throws Exception {
        String text = pem(newKey("secp384r1").getEncoded(), "PRIVATE KEY");
        String inline = text.strip().replace("\n", "\n    ");
        String error = files.onlyError(ROUTE + "identity:\n  signing_key: |\n    " + inline + "\n");
        // a literal block keeps one final newline
        assertThat(error).isEqualTo(files.at(9, "identity.signing_key: (redacted, " + (text.strip().length() + 1)
                + " chars) is not a PKCS#8 PEM P-256 private key: the curve is not P-256 (allowed: the output of "
                + "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)"));
    }

    /** The only error of a config whose signing key file holds {@code text}, with the file's path taken out. */
    private String signingKeyError(String text) {
        Path keyFile = files.write("key.pem", text);
        return files.onlyError(ROUTE + "identity:\n  signing_key: ${file:" + keyFile + "}\n");
    }

    private String keyMessage(String text, String reason) {
        int chars = ReferenceResolver.withoutTrailingNewline(text).length();
        return files.at(9, "identity.signing_key: (redacted, " + chars + " chars) is not a PKCS#8 PEM P-256 private "
                + "key: " + reason + " (allowed: the output of openssl genpkey -algorithm EC -pkeyopt "
                + "ec_paramgen_curve:P-256)");
    }

    @Test
    void everyProblemOfOneRouteIsReported() {
        List<String> errors = files.errors(ROUTE + "    identity_headers: {user: Cookie, name: 'a b'}\n"
                + "    jwt: maybe\n");
        assertThat(errors).containsExactly(
                files.at(8, "routes[0].identity_headers.user: 'Cookie' is reserved (allowed: a name that is not a "
                        + "framing, hop-by-hop, credential, forwarding, URL-override or Sec- header, in any spelling)"),
                files.at(8, "routes[0].identity_headers.name: 'a b' is not a header name (allowed: an RFC 9110 "
                        + "token of letters, digits and !#$%&'*+-.^_`|~)"),
                files.at(9, "routes[0].jwt: 'maybe' is not a jwt setting (allowed: true, false, or a mapping with "
                        + "header and lifetime)"));
    }
}
