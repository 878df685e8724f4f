package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.start;
import static org.portcullis.admission.Fixtures.through;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.ingress.CanonicalRequest;
import org.portcullis.session.SessionId;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.TestSnapshots;
import org.portcullis.upstream.UpstreamIdentity;

/**
 * Stage 7: the head that is forwarded. Built from the canonical request the policy allowed (which stays as it was),
 * without the gateway's cookie, with exactly the identity the caller earned, and the body's framing.
 */
class IdentityStageTest {
    /** A route that wants a JWT, on a gateway that has a store to keep the key in (so the config is valid). */
    static final GatewaySnapshot WITH_JWT_ROUTE = TestSnapshots.snapshot(TestSnapshots.withStore(Fixtures.YAML.replace("""
              - name: iis
            """, """
              - name: signed
                host: jwt.test
                upstream: http://127.0.0.1:9
                jwt: true
              - name: iis
            """).replace("[app.test, api.test, iis.test]", "[app.test, api.test, iis.test, jwt.test]")));

    final SessionId id = Fixtures.sessionId();
    /** As the gateway wires it without a signing key: a route that wants a JWT cannot get one. */
    final IdentityStage stage = new IdentityStage(new UpstreamIdentity(null));

    /** Runs every stage before identity with {@code session}; the policy must allow. */
    static AdmissionContext allowed(GatewaySnapshot snapshot, HttpRequest request, ResolvedSession session) {
        AdmissionContext routed = through(start(snapshot, request, false), new CanonicaliseStage(),
                new DestinationStage(), new RouteLimitsStage());
        return through(routed.withSession(session), new PortalStage(), new PolicyStage());
    }

    Admission.Forward forward(HttpRequest request, ResolvedSession session) {
        Admission admission = Fixtures.done(stage.apply(allowed(Fixtures.SNAPSHOT, request, session)));
        assertThat(admission).isInstanceOf(Admission.Forward.class);
        return (Admission.Forward) admission;
    }

    static List<Map.Entry<String, String>> entries(HttpHeaders headers) {
        return List.copyOf(headers.entries());
    }

    @Test
    void gatewayCookieIsStrippedAndOtherCookiesPassByteForByte() {
        HttpRequest request = request("GET", "/records", "Host", "app.test",
                "Cookie", "theme=dark;lang=\"en GB\"; " + Fixtures.cookieFor(id) + ";  z=1",
                "Cookie", Fixtures.cookieFor(id),
                "Cookie", "other=x; __Host-portcullis-csrf=abc",
                "Cookie", "kept=as;sent=  exactly");

        HttpHeaders sent = forward(request, Fixtures.twoFactors(id)).upstreamHead().headers();

        // Each other pair keeps its bytes; a header that lost a pair is joined again with "; " (CookieHeaders.strip),
        // a header without the gateway's cookie is passed on exactly as it came.
        assertThat(sent.getAll("Cookie")).containsExactly("theme=dark; lang=\"en GB\"; z=1", "other=x",
                "kept=as;sent=  exactly");
        assertThat(String.join("\n", sent.getAll("Cookie"))).doesNotContain("portcullis", id.cookieValue());
    }

    @Test
    void requestWithoutGatewayCookieKeepsItsCookieHeadersAsSent() {
        HttpRequest request = request("GET", "/public", "Host", "app.test", "Cookie", "a=1;b=2", "Cookie", "c=3");

        HttpHeaders sent = forward(request, ResolvedSession.without(ResolvedSession.Status.NONE)).upstreamHead()
                .headers();

        assertThat(sent.getAll("Cookie")).containsExactly("a=1;b=2", "c=3");
    }

    @Test
    void signedInCallerOnANonBypassRuleGetsIdentityHeaders() {
        Admission.Forward forward = forward(request("GET", "/records", "Host", "app.test"), Fixtures.twoFactors(id));

        HttpHeaders sent = forward.upstreamHead().headers();
        assertThat(sent.getAll("Remote-User")).containsExactly("alice");
        assertThat(sent.get("Remote-Groups")).isEqualTo("clinicians");
        assertThat(sent.get("Remote-Email")).isEqualTo("alice@example.org");
        assertThat(forward.bypass()).isFalse();
        assertThat(forward.rule()).isEqualTo("staff");
    }

    @Test
    void routeNamingOtherHeadersGetsThoseOnly() {
        HttpHeaders sent = forward(request("GET", "/records", "Host", "api.test"), Fixtures.twoFactors(id))
                .upstreamHead().headers();

        assertThat(sent.getAll("X-Forwarded-User")).containsExactly("alice");
        assertThat(sent.contains("Remote-User")).isFalse();
    }

    @Test
    void signedInCallerOnABypassRulePassesNoIdentity() {
        Admission.Forward forward = forward(request("GET", "/public", "Host", "app.test"), Fixtures.twoFactors(id));

        assertThat(forward.bypass()).isTrue();
        assertThat(forward.upstreamHead().headers().names()).noneMatch(n -> n.toLowerCase().startsWith("remote-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Remote-User", "remote-user", "REMOTE-USER", "X-Forwarded-User", "Remote-Groups"})
    void forgedIdentityHeaderNeverSurvives(String forged) {
        for (String path : List.of("/records", "/public")) {
            for (String host : List.of("app.test", "api.test")) {
                HttpRequest request = request("GET", path, "Host", host, forged, "mallory", forged, "admins");

                HttpHeaders sent = forward(request, Fixtures.twoFactors(id)).upstreamHead().headers();

                assertThat(sent.entries()).as("%s%s", host, path)
                        .noneMatch(e -> e.getValue().equals("mallory") || e.getValue().equals("admins"));
            }
        }
    }

    @Test
    void framingOfAContentLengthBodyIsSet() {
        HttpRequest request = request("POST", "/records?a=1", "Host", "app.test", "Content-Length", "5");

        HttpRequest head = forward(request, Fixtures.twoFactors(id)).upstreamHead();

        assertThat(head.method().name()).isEqualTo("POST");
        assertThat(head.uri()).isEqualTo("/records?a=1");
        assertThat(head.headers().get("Content-Length")).isEqualTo("5");
        assertThat(head.headers().contains("Transfer-Encoding")).isFalse();
    }

    @Test
    void framingOfAChunkedBodyIsSetWithoutContentLength() {
        HttpRequest request = request("POST", "/records", "Host", "app.test", "Transfer-Encoding", "chunked");

        HttpHeaders sent = forward(request, Fixtures.twoFactors(id)).upstreamHead().headers();

        assertThat(sent.getAll("Transfer-Encoding")).containsExactly("chunked");
        assertThat(sent.contains("Content-Length")).isFalse();
    }

    @Test
    void canonicalRequestIsLeftAsItWasAndCannotBeEdited() {
        HttpRequest request = request("GET", "/records", "Host", "app.test", "Remote-User", "mallory",
                "Cookie", "a=1; " + Fixtures.cookieFor(id));
        AdmissionContext allowed = allowed(Fixtures.SNAPSHOT, request, Fixtures.twoFactors(id));
        CanonicalRequest canonical = allowed.canonical();
        List<Map.Entry<String, String>> before = entries(canonical.headers());

        Admission.Forward forward = (Admission.Forward) Fixtures.done(stage.apply(allowed));

        assertThat(forward.request()).isSameAs(canonical);
        assertThat(entries(canonical.headers())).isEqualTo(before);
        assertThat(canonical.headers().get("Cookie")).contains(id.cookieValue());
        assertThat(canonical.headers().contains("Remote-User")).isFalse();
        assertThatThrownBy(() -> canonical.headers().add("Remote-User", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> canonical.headers().remove("Cookie"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> canonical.headers().set("Host", "evil.test"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void identityThatCannotBeMadeIsA500RefusalNeverAForward() {
        AdmissionContext allowed = allowed(WITH_JWT_ROUTE, request("GET", "/records", "Host", "jwt.test"),
                Fixtures.twoFactors(id));

        Admission admission = Fixtures.done(stage.apply(allowed));

        assertThat(admission).isInstanceOfSatisfying(Admission.Refuse.class, refuse -> {
            assertThat(refuse.status()).isEqualTo(500);
            assertThat(refuse.code()).startsWith("IDENTITY_FAILED:");
            assertThat(refuse.close()).isTrue();
            assertThat(refuse.cause()).isNotNull();
            assertThat(refuse.route()).isEqualTo("signed");
        });
    }
}
