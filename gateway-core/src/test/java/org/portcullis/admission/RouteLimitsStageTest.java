package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.admission.Fixtures.refused;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.start;
import static org.portcullis.admission.Fixtures.through;

import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stage 3: the route's body and WebSocket limits, before anyone's identity matters. */
class RouteLimitsStageTest {
    final RouteLimitsStage stage = new RouteLimitsStage();

    Stage.Step apply(HttpRequest request) {
        return stage.apply(through(start(request), new CanonicaliseStage(), new DestinationStage()));
    }

    @ParameterizedTest
    @CsvSource({"GET, Content-Length, 5", "HEAD, Content-Length, 1", "GET, Transfer-Encoding, chunked",
        "HEAD, Transfer-Encoding, chunked"})
    void bodyOnGetOrHeadIsRefusedAndCloses(String method, String header, String value) {
        Admission.Refuse refuse = refused(apply(request(method, "/", "Host", "app.test", header, value)));

        assertThat(refuse.status()).isEqualTo(400);
        assertThat(refuse.code()).isEqualTo("BODY_ON_GET_OR_HEAD");
        assertThat(refuse.route()).isEqualTo("app");
        assertThat(refuse.close()).as("the body is not read, so the connection cannot go on").isTrue();
    }

    @Test
    void bodyOnGetGoesOnWhereTheRouteAllowsIt() {
        assertThat(apply(request("GET", "/", "Host", "api.test", "Content-Length", "5")))
                .isInstanceOf(Stage.Step.Next.class);
    }

    @Test
    void getWithContentLengthZeroIsNoBody() {
        assertThat(apply(request("GET", "/", "Host", "app.test", "Content-Length", "0")))
                .isInstanceOf(Stage.Step.Next.class);
    }

    @Test
    void declaredBodyOverTheRouteLimitIsRefusedWith413() {
        Admission.Refuse refuse = refused(apply(request("POST", "/", "Host", "app.test", "Content-Length", "1025")));

        assertThat(refuse.status()).isEqualTo(413);
        assertThat(refuse.code()).isEqualTo("BODY_TOO_LARGE");
        assertThat(refuse.close()).isTrue();
    }

    @Test
    void declaredBodyAtTheRouteLimitGoesOn() {
        assertThat(apply(request("POST", "/", "Host", "app.test", "Content-Length", "1024")))
                .isInstanceOf(Stage.Step.Next.class);
    }

    @Test
    void routeWithoutItsOwnLimitTakesTheGatewaysLimit() {
        // api.test has no max_body_bytes: the gateway's 10 MiB default applies, not app.test's 1 KiB.
        assertThat(apply(request("POST", "/", "Host", "api.test", "Content-Length", "4096")))
                .isInstanceOf(Stage.Step.Next.class);
    }

    static HttpRequest upgrade(String origin) {
        return request("GET", "/socket", "Host", "app.test", "Connection", "Upgrade", "Upgrade", "websocket",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13", "Origin", origin);
    }

    @ParameterizedTest
    @CsvSource({"https://evil.test", "http://app.test.evil.test", "null", "http://api.test"})
    void webSocketFromAnotherOriginIsRefused(String origin) {
        Admission.Refuse refuse = refused(apply(upgrade(origin)));

        assertThat(refuse.status()).isEqualTo(403);
        assertThat(refuse.code()).isEqualTo("WEBSOCKET_ORIGIN_REFUSED");
    }

    @Test
    void webSocketFromTheRoutesOwnOriginGoesOn() {
        assertThat(apply(upgrade("http://app.test"))).isInstanceOf(Stage.Step.Next.class);
    }

    @Test
    void portalRequestsAreLeftToThePortal() {
        // The portal's own limits are its exchange's: a body on GET to the reserved prefix is not this stage's.
        assertThat(apply(request("GET", "/.portcullis/login", "Host", "app.test", "Content-Length", "5000")))
                .isInstanceOf(Stage.Step.Next.class);
    }
}
