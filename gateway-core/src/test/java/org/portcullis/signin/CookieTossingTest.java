package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * Cookie tossing that would sign a user out, through the running gateway with raw {@code Cookie} headers: a sibling
 * host (or a script on one) plants an imitation of the session cookie, a case variant of its name or a nameless
 * cookie, before or after the real one. The gateway keeps using the one genuine cookie, never reads the imitation as
 * a session, and its sign-in answers clear the imitation at every path the browser could have stored it under. Two
 * genuine-named cookies with different values are truly ambiguous: no session, and both forms are cleared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CookieTossingTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration NOTHING = Duration.ofMillis(300);
    /** The shape of a real session id, naming no session. */
    static final String MADE_UP_ID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final String ATTRIBUTES = "; Max-Age=0; Secure; HttpOnly; SameSite=Lax";

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;
    String app;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        gateway = SignInGateway.start(dir, clock);
        SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD, "https://app.test:"
                + gateway.port + "/x");
        app = gateway.callback(portal.location()).cookie();
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @BeforeEach
    void drain() {
        gateway.drainUpstream();
    }

    /** The imitations, each with the name a browser stored it under ("" for nameless). */
    static Stream<Arguments> imitations() {
        return Stream.of(
                Arguments.of("__HOST-portcullis=" + MADE_UP_ID, "__HOST-portcullis"),   // upper-case prefix
                Arguments.of("__host-portcullis=x", "__host-portcullis"),               // lower-case prefix
                Arguments.of("__Host-PORTCULLIS=" + MADE_UP_ID, "__Host-PORTCULLIS"),   // case of the rest
                Arguments.of("=__Host-portcullis=" + MADE_UP_ID, ""),                   // nameless, '=' kept
                Arguments.of("__Host-portcullis", ""));                                 // nameless, bare
    }

    @ParameterizedTest
    @MethodSource("imitations")
    void aTossedImitationBesideTheRealCookieDoesNotSignTheUserOut(String imitation, String storedAs)
            throws Exception {
        for (String cookies : List.of(imitation + "; " + app, app + "; " + imitation, "a=1; " + imitation
                + "; b=2; " + app)) {
            RawResponse page = gateway.navigate("app.test", "/x", cookies);
            assertThat(page.status()).as(cookies).isEqualTo(200);
            RecordedRequest received = gateway.upstream.takeRequest(WAIT);
            assertThat(received.headers("Remote-User")).as("signed in with the genuine cookie").containsExactly(
                    "alice");
            assertThat(String.join(";", received.headers("Cookie"))).as("no gateway cookie, no imitation upstream")
                    .doesNotContainIgnoringCase("portcullis");
        }
    }

    @ParameterizedTest
    @MethodSource("imitations")
    void aTossedImitationAloneIsNoSessionAndIsClearedAtEveryPathItCouldHave(String imitation, String storedAs)
            throws Exception {
        RawResponse page = gateway.navigate("app.test", "/records/1", imitation);

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).startsWith(gateway.portalOrigin() + "/.portcullis/login");
        assertThat(gateway.upstream.takeRequest(NOTHING)).isNull();
        String name = storedAs.isEmpty() ? "=deleted" : storedAs + "=";
        assertThat(page.headers("Set-Cookie")).contains(name + "; Path=/" + ATTRIBUTES,
                name + "; Path=/records" + ATTRIBUTES, name + "; Path=/records/" + ATTRIBUTES);
    }

    @Test
    void twoGenuineNamedCookiesWithDifferentValuesAreNoSessionAndBothAreCleared() throws Exception {
        for (String cookies : List.of(app + "; __Host-portcullis=" + MADE_UP_ID,
                "__Host-portcullis=" + MADE_UP_ID + "; " + app)) {
            RawResponse page = gateway.navigate("app.test", "/x", cookies);

            assertThat(page.status()).as(cookies).isEqualTo(302);
            assertThat(gateway.upstream.takeRequest(NOTHING)).as("ambiguous: never forwarded").isNull();
            assertThat(page.headers("Set-Cookie")).contains("__Host-portcullis=; Max-Age=0; Path=/; Secure; "
                    + "HttpOnly; SameSite=Lax", "=deleted; Path=/" + ATTRIBUTES);
        }
    }

    @Test
    void theLoginPageClearsImitationsToo() throws Exception {
        RawResponse form = gateway.navigate("login.test", "/.portcullis/login", "__HOST-portcullis=x");

        assertThat(form.status()).isEqualTo(200);
        assertThat(form.headers("Set-Cookie")).contains("__HOST-portcullis=; Path=/" + ATTRIBUTES,
                "__HOST-portcullis=; Path=/.portcullis" + ATTRIBUTES);
    }

    @Test
    void theSameGenuineCookieTwiceIsUnambiguous() throws Exception {
        assertThat(gateway.navigate("app.test", "/x", app + "; " + app).status()).isEqualTo(200);
        assertThat(gateway.upstream.takeRequest(WAIT).headers("Remote-User")).containsExactly("alice");
    }
}
