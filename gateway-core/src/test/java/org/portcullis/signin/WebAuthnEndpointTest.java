package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.extension.client.AuthenticationExtensionClientOutput;
import com.webauthn4j.data.extension.client.RegistrationExtensionClientOutput;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.ClientPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.factor.SecondFactors;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.webauthn.CredentialRecord;

/**
 * The security-key JSON endpoints over raw TLS, with webauthn4j's authenticator emulator standing in for the browser
 * and the key: what an attacker without the page's CSRF token, from another origin or with another session's
 * challenge gets; a replayed assertion; a key registered with a redeemed invitation; and a signature counter that goes
 * backwards (audited as a suspected clone, the key disabled). The tests build on each other and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAuthnEndpointTest {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String OPTIONS = "/.portcullis/webauthn/authenticate/options";
    private static final String AUTHENTICATE = "/.portcullis/webauthn/authenticate";

    private final ObjectConverter converter = new ObjectConverter();
    private SignInGateway gateway;
    private PackedAuthenticator key;
    private ClientPlatform browser;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, Clock.systemUTC());
        key = new PackedAuthenticator();
        browser = platform(gateway.portalOrigin());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private ClientPlatform platform(String origin) {
        return new ClientPlatform(new Origin(origin), new WebAuthnAuthenticatorAdaptor(key));
    }

    private SecondFactors factors() {
        return gateway.server.signIn().orElseThrow().secondFactors();
    }

    /** The session's CSRF token, from the page at {@code target}. */
    private String token(String target, String cookie) throws IOException {
        RawResponse page = gateway.navigate("login.test", target, cookie);
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        assertThat(token.find()).as("a form at " + target + ": " + page.statusLine()).isTrue();
        return token.group(1);
    }

    private String headers(String cookie, String csrf, String origin) {
        return "Origin: " + origin + "\r\nSec-Fetch-Site: same-origin\r\n"
                + (csrf == null ? "" : "X-CSRF-Token: " + csrf + "\r\n") + SignInGateway.cookieHeader(cookie);
    }

    private RawResponse post(String path, String cookie, String csrf, String json) throws IOException {
        return gateway.sendJson("login.test", path, headers(cookie, csrf, gateway.portalOrigin()), json);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String publicKey(RawResponse options) {
        String body = options.bodyText();
        assertThat(options.status()).as(body).isEqualTo(200);
        return body.substring("{\"publicKey\":".length(), body.length() - 1);
    }

    /** Password at the portal for alice, who has a key: a session that owes its second factor. */
    private String pending() throws IOException {
        SignInGateway.LoginForm form = gateway.loginForm("");
        RawResponse answer = gateway.postLogin(form, "alice", SignInGateway.PASSWORD, "", "");
        assertThat(answer.header("Location")).isEqualTo("/.portcullis/second-factor");
        return SignInGateway.cookiePair(answer, "__Host-portcullis");
    }

    /** The assertion the emulated browser and key make for the options {@code session} got. */
    private String assertionFor(ClientPlatform client, RawResponse options) {
        PublicKeyCredentialRequestOptions request = converter.getJsonConverter().readValue(publicKey(options),
                PublicKeyCredentialRequestOptions.class);
        PublicKeyCredential<AuthenticatorAssertionResponse, AuthenticationExtensionClientOutput> credential =
                client.get(request);
        AuthenticatorAssertionResponse response = credential.getResponse();
        return "{\"rd\":\"\",\"credential\":{\"rawId\":\"" + b64(credential.getRawId()) + "\",\"response\":{"
                + "\"clientDataJSON\":\"" + b64(response.getClientDataJSON()) + "\",\"authenticatorData\":\""
                + b64(response.getAuthenticatorData()) + "\",\"signature\":\"" + b64(response.getSignature())
                + "\",\"userHandle\":" + (response.getUserHandle() == null ? "null"
                : "\"" + b64(response.getUserHandle()) + "\"") + "}}}";
    }

    @Test
    @Order(1)
    void aKeyIsRegisteredOnlyWithProofAndItsRecoveryCodesFollow() throws Exception {
        String cookie = gateway.signIn("alice", SignInGateway.PASSWORD, "").cookie();
        String csrf = token("/.portcullis/security-key", cookie);
        RawResponse noProof = post("/.portcullis/webauthn/register/options", cookie, csrf, "{}");
        assertThat(noProof.status()).as("a password alone never registers a key").isEqualTo(403);
        assertThat(noProof.bodyText()).contains("\"error\":\"proof_required\"");

        InvitationCode invitation = factors().invitations().issue("alice", Duration.ofHours(1),
                Clock.systemUTC().instant());
        RawResponse redeemed = gateway.send("POST", "login.test", "/.portcullis/security-key",
                headers(cookie, null, gateway.portalOrigin()), "csrf=" + SignInGateway.encode(csrf)
                        + "&step=invitation&invitation=" + SignInGateway.encode(invitation.reveal()));
        assertThat(redeemed.status()).isEqualTo(200);
        assertThat(redeemed.header("Content-Security-Policy")).contains("script-src 'self'")
                .contains("connect-src 'self'");
        assertThat(redeemed.bodyText()).contains("data-webauthn=\"register\"");

        PublicKeyCredentialCreationOptions creation = converter.getJsonConverter().readValue(publicKey(
                post("/.portcullis/webauthn/register/options", cookie, csrf, "{\"name\":\"Blue key\"}")),
                PublicKeyCredentialCreationOptions.class);
        assertThat(creation.getRp().getId()).isEqualTo("login.test");
        assertThat(new String(creation.getUser().getId())).doesNotContain("alice");
        PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> created =
                browser.create(creation);
        RawResponse registered = post("/.portcullis/webauthn/register", cookie, csrf, "{\"name\":\"Blue key\","
                + "\"rd\":\"\",\"credential\":{\"response\":{\"clientDataJSON\":\""
                + b64(created.getResponse().getClientDataJSON()) + "\",\"attestationObject\":\""
                + b64(created.getResponse().getAttestationObject()) + "\",\"transports\":[\"usb\"]}}}");
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
        assertThat(registered.bodyText()).contains("\"next\":\"recovery_codes\"");
        String rotated = SignInGateway.cookiePair(registered, "__Host-portcullis");
        assertThat(rotated).as("the session moves to a new id").isNotNull().isNotEqualTo(cookie);
        String fresh = registered.bodyText().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
        assertThat(fresh).as("and to a new CSRF token, which the script puts in the next form").isNotEqualTo(csrf)
                .isEqualTo(token("/.portcullis/", rotated));
        assertThat(factors().webauthn().keys("alice")).singleElement()
                .satisfies(k -> assertThat(k.record().name()).isEqualTo("Blue key"));

        RawResponse codes = gateway.send("POST", "login.test", "/.portcullis/security-key",
                headers(rotated, null, gateway.portalOrigin()), "csrf=" + SignInGateway.encode(fresh)
                        + "&step=recovery_codes");
        assertThat(codes.bodyText()).contains("class=\"recovery-codes\"");
        assertThat(factors().recoveryCodes().remaining("alice")).isEqualTo(10);
        RawResponse again = gateway.send("POST", "login.test", "/.portcullis/security-key",
                headers(rotated, null, gateway.portalOrigin()), "csrf=" + SignInGateway.encode(fresh)
                        + "&step=recovery_codes");
        assertThat(again.status()).as("shown once").isEqualTo(303);
    }

    @Test
    @Order(2)
    void withoutTheTokenFromAnotherOriginWithoutSessionOrJsonTheEndpointsRefuse() throws Exception {
        String cookie = pending();
        String csrf = token("/.portcullis/second-factor", cookie);
        int from = gateway.auditLines().size();

        assertThat(post(OPTIONS, cookie, null, "{}").status()).as("no token").isEqualTo(403);
        assertThat(post(OPTIONS, cookie, "not-the-token", "{}").status()).as("wrong token").isEqualTo(403);
        RawResponse elsewhere = gateway.sendJson("login.test", OPTIONS, headers(cookie, csrf,
                "https://evil.test:" + gateway.port), "{}");
        assertThat(elsewhere.status()).as("another origin").isEqualTo(403);
        assertThat(elsewhere.bodyText()).contains("\"error\":\"csrf\"").doesNotContain("challenge");
        assertThat(post(OPTIONS, null, csrf, "{}").status()).as("no session").isEqualTo(401);
        RawResponse form = gateway.send("POST", "login.test", OPTIONS, headers(cookie, csrf,
                gateway.portalOrigin()), "x=1");
        assertThat(form.status()).as("a form post is not JSON").isEqualTo(415);
        assertThat(post("/.portcullis/webauthn/register/options", cookie, csrf, "{}").status())
                .as("a pending session registers nothing").isEqualTo(403);
        assertThat(gateway.awaitAuditLine(from, "csrf_origin_refused")).anyMatch(l -> l.contains(
                "csrf_token_missing")).anyMatch(l -> l.contains("csrf_origin_refused"));
    }

    @Test
    @Order(3)
    void aChallengeFromAnotherSessionOrUsedOnceIsRefusedAndTheRightOneSignsIn() throws Exception {
        String first = pending();
        String firstCsrf = token("/.portcullis/second-factor", first);
        String second = pending();
        String secondCsrf = token("/.portcullis/second-factor", second);
        RawResponse firstOptions = post(OPTIONS, first, firstCsrf, "{}");
        post(OPTIONS, second, secondCsrf, "{}");
        String assertion = assertionFor(browser, firstOptions);
        int from = gateway.auditLines().size();

        RawResponse crossed = post(AUTHENTICATE, second, secondCsrf, assertion);
        assertThat(crossed.status()).as("another session's challenge").isEqualTo(401);
        assertThat(gateway.awaitAuditLine(from, "webauthn_challenge_invalid"))
                .anyMatch(l -> l.contains("webauthn_challenge_invalid"));

        RawResponse signedIn = post(AUTHENTICATE, first, firstCsrf, assertion);
        assertThat(signedIn.status()).as(signedIn.bodyText()).isEqualTo(200);
        assertThat(signedIn.bodyText()).contains("\"redirect\":\"" + gateway.portalOrigin() + "/.portcullis/\"");
        String rotated = SignInGateway.cookiePair(signedIn, "__Host-portcullis");
        assertThat(rotated).isNotNull().isNotEqualTo(first);

        assertThat(post(AUTHENTICATE, first, firstCsrf, assertion).status()).as("the old session is gone")
                .isEqualTo(401);
        assertThat(post(AUTHENTICATE, rotated, firstCsrf, assertion).status())
                .as("the token from before the rotation is worth nothing after it").isEqualTo(403);
        String rotatedCsrf = token("/.portcullis/", rotated);
        RawResponse replay = post(AUTHENTICATE, rotated, rotatedCsrf, assertion);
        assertThat(replay.status()).as("replayed in the new session").isEqualTo(401);
        assertThat(replay.bodyText()).contains("\"error\":\"not_accepted\"");

        RawResponse wrongOrigin = post(AUTHENTICATE, rotated, rotatedCsrf,
                assertionFor(platform("https://evil.test:" + gateway.port), post(OPTIONS, rotated, rotatedCsrf,
                        "{}")));
        assertThat(wrongOrigin.status()).isEqualTo(401);
        assertThat(gateway.awaitAuditLine(from, "webauthn_wrong_origin"))
                .anyMatch(l -> l.contains("webauthn_wrong_origin"));
    }

    @Test
    @Order(4)
    void aCounterThatGoesBackwardsIsAuditedAndDisablesTheKey() throws Exception {
        CredentialRecord stored = factors().webauthn().findByUser("alice").get(0);
        factors().webauthn().update(stored.withUse(1_000_000, Clock.systemUTC().instant()));
        String cookie = pending();
        String csrf = token("/.portcullis/second-factor", cookie);
        int from = gateway.auditLines().size();

        RawResponse cloned = post(AUTHENTICATE, cookie, csrf, assertionFor(browser, post(OPTIONS, cookie, csrf,
                "{}")));
        assertThat(cloned.status()).isEqualTo(401);
        assertThat(cloned.bodyText()).contains("\"error\":\"key_disabled\"");
        assertThat(gateway.awaitAuditLine(from, "factor.clone_suspected", "disabled"))
                .anyMatch(l -> l.contains("factor.clone_suspected") && l.contains("\"user.name\":\"alice\""));
        assertThat(factors().webauthn().find("alice", stored.credentialId()).orElseThrow().disabledReason())
                .contains("clone_suspected");
        RawResponse after = post(OPTIONS, cookie, csrf, "{}");
        assertThat(after.status()).as("no enabled key to offer").isEqualTo(409);
        assertThat(gateway.navigate("login.test", "/.portcullis/", cookie).header("Location"))
                .as("still only half signed in").isEqualTo("/.portcullis/second-factor");
    }

    @Test
    void passkeySignInIsAbsentWhileTheSwitchIsOff() throws IOException {
        assertThat(gateway.navigate("login.test", "/.portcullis/login", null).bodyText())
                .doesNotContain("data-webauthn=\"passkey\"");
        assertThat(post("/.portcullis/webauthn/passkey/options", null, "x", "{}").status()).isEqualTo(404);
        assertThat(post("/.portcullis/webauthn/passkey", null, "x", "{}").status()).isEqualTo(404);
    }
}
