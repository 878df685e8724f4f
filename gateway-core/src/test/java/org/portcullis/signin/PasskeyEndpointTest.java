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
import org.portcullis.factor.TotpCredentials;
import org.portcullis.totp.TotpParameters;
import org.portcullis.webauthn.CredentialRecord;

/**
 * Passwordless sign-in with a discoverable credential ({@code webauthn.passwordless: true}) over raw TLS, with the
 * webauthn4j emulator as browser and key: with user verification the session has two factors and a
 * {@code two_factor} route answers; without it the session has one factor and the same route asks for a second;
 * the challenge belongs to the login CSRF cookie it was issued for; a disabled key is refused. (The switch off: see
 * {@link WebAuthnEndpointTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PasskeyEndpointTest {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String OPTIONS = "/.portcullis/webauthn/passkey/options";
    private static final String PASSKEY = "/.portcullis/webauthn/passkey";
    private static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: secure
                  hosts: [app.test]
                  paths: ["/secure/**"]
                  policy: two_factor
                - id: signed-in
                  hosts: [app.test, other.test]
                  policy: one_factor
            """;

    private final ObjectConverter converter = new ObjectConverter();
    private SignInGateway gateway;
    private ClientPlatform browser;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, Clock.systemUTC(), POLICY, "webauthn:\n  passwordless: true\n");
        browser = new ClientPlatform(new Origin(gateway.portalOrigin()),
                new WebAuthnAuthenticatorAdaptor(new PackedAuthenticator()));
        registerAlicesKey();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private SecondFactors factors() {
        return gateway.server.signIn().orElseThrow().secondFactors();
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String publicKey(RawResponse options) {
        String body = options.bodyText();
        assertThat(options.status()).as(body).isEqualTo(200);
        return body.substring("{\"publicKey\":".length(), body.length() - 1);
    }

    private String headers(String cookie, String csrf) {
        return "Origin: " + gateway.portalOrigin() + "\r\nSec-Fetch-Site: same-origin\r\n"
                + (csrf == null ? "" : "X-CSRF-Token: " + csrf + "\r\n") + SignInGateway.cookieHeader(cookie);
    }

    private RawResponse post(String path, String cookie, String csrf, String json) throws IOException {
        return gateway.sendJson("login.test", path, headers(cookie, csrf), json);
    }

    /** Alice registers a key with an admin's invitation, as in {@link WebAuthnEndpointTest}. */
    private void registerAlicesKey() throws IOException {
        String cookie = gateway.signIn("alice", SignInGateway.PASSWORD, "").cookie();
        RawResponse page = gateway.navigate("login.test", "/.portcullis/security-key", cookie);
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        assertThat(token.find()).isTrue();
        String csrf = token.group(1);
        InvitationCode invitation = factors().invitations().issue("alice", Duration.ofHours(1),
                Clock.systemUTC().instant());
        gateway.send("POST", "login.test", "/.portcullis/security-key", headers(cookie, null),
                "csrf=" + SignInGateway.encode(csrf) + "&step=invitation&invitation="
                        + SignInGateway.encode(invitation.reveal()));
        PublicKeyCredentialCreationOptions creation = converter.getJsonConverter().readValue(publicKey(
                post("/.portcullis/webauthn/register/options", cookie, csrf, "{\"name\":\"Passkey\"}")),
                PublicKeyCredentialCreationOptions.class);
        PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> created =
                browser.create(creation);
        RawResponse registered = post("/.portcullis/webauthn/register", cookie, csrf, "{\"name\":\"Passkey\","
                + "\"rd\":\"\",\"credential\":{\"response\":{\"clientDataJSON\":\""
                + b64(created.getResponse().getClientDataJSON()) + "\",\"attestationObject\":\""
                + b64(created.getResponse().getAttestationObject()) + "\",\"transports\":[\"internal\"]}}}");
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
    }

    /** The sign-in page as a fresh browser gets it: its CSRF cookie pair and token. */
    private SignInGateway.LoginForm loginPage() throws IOException {
        RawResponse page = gateway.navigate("login.test", "/.portcullis/login", "");
        assertThat(page.bodyText()).contains("data-webauthn=\"passkey\"").contains("Sign in with a passkey")
                .contains("<script src=\"/.portcullis/webauthn.js\"");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        assertThat(token.find()).isTrue();
        return new SignInGateway.LoginForm(SignInGateway.cookiePair(page, "__Host-portcullis-csrf"), token.group(1));
    }

    /**
     * The emulated browser answers the options; {@code userVerification} is what the browser asks the authenticator
     * for (the server's {@code preferred} lets an authenticator without a PIN answer without UV).
     */
    private String assertion(RawResponse options, String userVerification, String rd) {
        String json = publicKey(options).replace("\"userVerification\":\"preferred\"",
                "\"userVerification\":\"" + userVerification + "\"");
        PublicKeyCredentialRequestOptions request = converter.getJsonConverter().readValue(json,
                PublicKeyCredentialRequestOptions.class);
        assertThat(request.getAllowCredentials()).as("a discoverable credential: nothing named").isEmpty();
        PublicKeyCredential<AuthenticatorAssertionResponse, AuthenticationExtensionClientOutput> credential =
                browser.get(request);
        AuthenticatorAssertionResponse response = credential.getResponse();
        return "{\"rd\":\"" + rd + "\",\"credential\":{\"rawId\":\"" + b64(credential.getRawId())
                + "\",\"response\":{\"clientDataJSON\":\"" + b64(response.getClientDataJSON())
                + "\",\"authenticatorData\":\"" + b64(response.getAuthenticatorData()) + "\",\"signature\":\""
                + b64(response.getSignature()) + "\",\"userHandle\":" + (response.getUserHandle() == null ? "null"
                : "\"" + b64(response.getUserHandle()) + "\"") + "}}}";
    }

    private String app(String path) {
        return "https://app.test:" + gateway.port + path;
    }

    /** The redirect of a passkey answer, followed through the app's callback: the app's session cookie. */
    private String appCookie(RawResponse answer) throws IOException {
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(200);
        String body = answer.bodyText();
        String redirect = body.substring(body.indexOf("\"redirect\":\"") + 12, body.lastIndexOf('"'));
        return gateway.reach(redirect, SignInGateway.cookiePair(answer, "__Host-portcullis")).cookie();
    }

    @Test
    @Order(1)
    void withUserVerificationThePasskeyIsTwoFactorsAndATwoFactorRouteAnswers() throws Exception {
        SignInGateway.LoginForm form = loginPage();
        String rd = app("/secure/chart");
        int from = gateway.auditLines().size();
        RawResponse answer = post(PASSKEY, form.cookie(), form.token(),
                assertion(post(OPTIONS, form.cookie(), form.token(), "{}"), "required", rd));
        String cookie = appCookie(answer);
        RawResponse chart = gateway.navigate("app.test", "/secure/chart", cookie);
        assertThat(chart.status()).as(chart.bodyText()).isEqualTo(200);
        assertThat(gateway.awaitAuditLine(from, "passkey_user_verified"))
                .anyMatch(l -> l.contains("passkey_user_verified"));
    }

    @Test
    @Order(2)
    void withoutUserVerificationThePasskeyIsOneFactorAndATwoFactorRouteAsksForMore() throws Exception {
        SignInGateway.LoginForm form = loginPage();
        RawResponse answer = post(PASSKEY, form.cookie(), form.token(),
                assertion(post(OPTIONS, form.cookie(), form.token(), "{}"), "discouraged", app("/")));
        String cookie = appCookie(answer);
        assertThat(gateway.navigate("app.test", "/notes", cookie).status()).as("one factor is enough here")
                .isEqualTo(200);
        RawResponse chart = gateway.navigate("app.test", "/secure/chart", cookie);
        assertThat(chart.status()).as("a second factor is asked for").isBetween(300, 399);
        assertThat(chart.header("Location")).contains("login.test");
    }

    @Test
    @Order(3)
    void aChallengeIssuedForAnotherBrowsersCookieIsRefused() throws Exception {
        SignInGateway.LoginForm mine = loginPage();
        SignInGateway.LoginForm theirs = loginPage();
        String assertion = assertion(post(OPTIONS, theirs.cookie(), theirs.token(), "{}"), "required", "");
        RawResponse crossed = post(PASSKEY, mine.cookie(), mine.token(), assertion);
        assertThat(crossed.status()).isEqualTo(401);
        assertThat(crossed.header("Set-Cookie")).isNull();
        assertThat(post(OPTIONS, mine.cookie(), "not-the-token", "{}").status()).as("the page's token")
                .isEqualTo(403);
        String withoutHandle = assertion(post(OPTIONS, mine.cookie(), mine.token(), "{}"), "required", "")
                .replaceAll("\"userHandle\":\"[^\"]*\"", "\"userHandle\":null");
        assertThat(withoutHandle).contains("\"userHandle\":null");
        assertThat(post(PASSKEY, mine.cookie(), mine.token(), withoutHandle).status())
                .as("no user handle names no user").isEqualTo(401);
    }

    @Test
    @Order(3)
    void aFailedPasswordBringsTheFormBackWithThePasskeyButton() throws Exception {
        SignInGateway.LoginForm form = loginPage();
        RawResponse answer = gateway.postLogin(form, "bob", "not bob's password",
                "https://app.test:" + gateway.port + "/", "");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.bodyText()).contains("data-webauthn=\"passkey\"").contains("Sign in with a passkey")
                .contains("role=\"alert\"");
        assertThat(answer.header("Content-Security-Policy")).contains("script-src 'self'");
    }

    @Test
    @Order(4)
    void aDisabledKeyIsRefused() throws Exception {
        CredentialRecord stored = factors().webauthn().findByUser("alice").get(0);
        factors().webauthn().update(stored.withDisabled(true));
        SignInGateway.LoginForm form = loginPage();
        RawResponse refused = post(PASSKEY, form.cookie(), form.token(),
                assertion(post(OPTIONS, form.cookie(), form.token(), "{}"), "required", ""));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.bodyText()).contains("\"error\":\"key_disabled\"");
        assertThat(SignInGateway.cookiePair(refused, "__Host-portcullis")).isNull();
    }

    @Test
    @Order(5)
    void withoutUserVerificationAUserWithAnotherFactorOwesItAndThePasskeyIsNotItsOwnSecondFactor() throws Exception {
        CredentialRecord stored = factors().webauthn().findByUser("alice").get(0);
        assertThat(factors().webauthn().enable("alice", stored.credentialId())).as("an admin re-enables it").isTrue();
        TotpCredentials.Enrolment app = factors().totp().startEnrolment("alice", "Phone", TotpParameters.defaults());
        factors().totp().activate("alice", app.credential().id());

        SignInGateway.LoginForm form = loginPage();
        RawResponse answer = post(PASSKEY, form.cookie(), form.token(),
                assertion(post(OPTIONS, form.cookie(), form.token(), "{}"), "discouraged", ""));
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(200);
        assertThat(answer.bodyText()).contains("\"redirect\":\"/.portcullis/second-factor\"");
        String pending = SignInGateway.cookiePair(answer, "__Host-portcullis");
        assertThat(gateway.navigate("login.test", "/.portcullis/", pending).status())
                .as("a pending session is no session").isBetween(300, 399);

        RawResponse page = gateway.navigate("login.test", "/.portcullis/second-factor", pending);
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        assertThat(token.find()).as(page.bodyText()).isTrue();
        RawResponse keyOptions = post("/.portcullis/webauthn/authenticate/options", pending, token.group(1), "{}");
        assertThat(keyOptions.status()).as("the passkey is not offered again").isEqualTo(409);
        int from = gateway.auditLines().size();
        RawResponse again = post("/.portcullis/webauthn/authenticate", pending, token.group(1),
                assertion(post(OPTIONS, form.cookie(), form.token(), "{}"), "required", ""));
        assertThat(again.status()).isEqualTo(401);
        assertThat(gateway.awaitAuditLine(from, "webauthn_not_users_credential"))
                .anyMatch(l -> l.contains("webauthn_not_users_credential"));

        // A wrong app code does not hide the other way in: the page comes back with the key button and the code form.
        RawResponse wrong = new TotpFlow(gateway, Clock.systemUTC()).submitCode(pending, "000000");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.bodyText()).contains(org.portcullis.portal.page.WebAuthnMessages.KEY_BUTTON)
                .contains("name=\"code\"").contains("role=\"alert\"");
    }
}
