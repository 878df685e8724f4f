package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.admission.Fixtures.refused;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.start;

import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.session.CookieLookup;
import org.portcullis.session.SessionId;

/** Stage 1: the canonical request and the gateway's cookie, or a refusal before anything else looks at it. */
class CanonicaliseStageTest {
    final CanonicaliseStage stage = new CanonicaliseStage();

    @Test
    void goodRequestGoesOnWithItsCanonicalForm() {
        Stage.Step step = stage.apply(start(request("GET", "/a/./b/../c?q=1", "Host", "APP.test")));

        AdmissionContext next = ((Stage.Step.Next) step).context();
        assertThat(next.canonical().host()).isEqualTo("app.test");
        assertThat(next.canonical().path()).isEqualTo("/a/c");
        assertThat(next.cookie().outcome()).isEqualTo(CookieLookup.Outcome.ABSENT);
        assertThat(next.destination()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app test", "app.test:99999", "app.test:81", "[::1", "app.test@evil.test"})
    void badHostIsRefusedWith400(String host) {
        Admission.Refuse refuse = refused(stage.apply(start(request("GET", "/", "Host", host))));

        assertThat(refuse.status()).isEqualTo(400);
        assertThat(refuse.request()).isNull();
        assertThat(refuse.route()).isNull();
    }

    @Test
    void expectationOtherThanContinueIsRefusedWith417() {
        HttpRequest request = request("POST", "/", "Host", "app.test", "Expect", "200-ok", "Content-Length", "0");

        Admission.Refuse refuse = refused(stage.apply(start(request)));

        assertThat(refuse.status()).isEqualTo(417);
        assertThat(refuse.code()).isEqualTo("EXPECTATION_FAILED");
        assertThat(refuse.request().host()).as("refused after it was made canonical").isEqualTo("app.test");
    }

    @Test
    void expectContinueGoesOn() {
        HttpRequest request = request("POST", "/", "Host", "app.test", "Expect", "100-Continue",
                "Content-Length", "5");

        assertThat(stage.apply(start(request))).isInstanceOf(Stage.Step.Next.class);
    }

    @Test
    void refusalWithABodyFollowingClosesTheConnection() {
        HttpRequest request = request("POST", "/", "Host", "app.test", "Expect", "nope", "Content-Length", "5");

        assertThat(refused(stage.apply(start(request))).close()).isTrue();
    }

    @Test
    void gatewayCookieIsFoundAmongOthers() {
        SessionId id = Fixtures.sessionId();
        HttpRequest request = request("GET", "/", "Host", "app.test",
                "Cookie", "theme=dark; " + Fixtures.cookieFor(id) + "; lang=en");

        AdmissionContext next = ((Stage.Step.Next) stage.apply(start(request))).context();

        assertThat(next.cookie().outcome()).isEqualTo(CookieLookup.Outcome.FOUND);
        assertThat(next.cookie().id()).contains(id);
    }

    @Test
    void twoGatewayCookiesAreNeitherUsed() {
        HttpRequest request = request("GET", "/", "Host", "app.test",
                "Cookie", Fixtures.cookieFor(Fixtures.sessionId()) + "; " + Fixtures.cookieFor(Fixtures.sessionId()));

        AdmissionContext next = ((Stage.Step.Next) stage.apply(start(request))).context();

        assertThat(next.cookie().outcome()).isEqualTo(CookieLookup.Outcome.DUPLICATE);
        assertThat(next.cookie().id()).isEmpty();
    }
}
