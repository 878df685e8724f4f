package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.admission.Fixtures.refused;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.routed;

import io.netty.handler.codec.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.policy.AuthFactor;
import org.portcullis.session.SessionId;
import org.portcullis.signin.ResolvedSession;

/** Stage 6: allow, deny or challenge on exactly the canonical request; a failed store only lets a bypass through. */
class PolicyStageTest {
    static final ResolvedSession ANONYMOUS = ResolvedSession.without(ResolvedSession.Status.NONE);

    final PolicyStage stage = new PolicyStage();
    final SessionId id = Fixtures.sessionId();

    static Stage.Step decide(HttpRequest request, ResolvedSession session) {
        return new PolicyStage().apply(routed(request).withSession(session));
    }

    static Stage.Step decideWithoutStore(HttpRequest request) {
        return new PolicyStage().apply(routed(request).withoutSession(new IllegalStateException("store down")));
    }

    static AdmissionContext next(Stage.Step step) {
        assertThat(step).isInstanceOf(Stage.Step.Next.class);
        return ((Stage.Step.Next) step).context();
    }

    @Test
    void signedInWithTwoFactorsIsAllowedByTheRule() {
        AdmissionContext next = next(decide(request("GET", "/records", "Host", "app.test"), Fixtures.twoFactors(id)));

        assertThat(next.rule()).isEqualTo("staff");
        assertThat(next.bypass()).isFalse();
    }

    @Test
    void bypassIsAllowedAndMarked() {
        AdmissionContext next = next(decide(request("GET", "/public", "Host", "app.test"), ANONYMOUS));

        assertThat(next.rule()).isEqualTo("public-pages");
        assertThat(next.bypass()).isTrue();
    }

    @Test
    void anonymousIsChallenged() {
        Admission admission = Fixtures.done(decide(request("GET", "/records", "Host", "app.test"), ANONYMOUS));

        assertThat(admission).isInstanceOfSatisfying(Admission.Challenge.class, challenge -> {
            assertThat(challenge.rule()).isEqualTo("staff");
            assertThat(challenge.route().name()).isEqualTo("app");
            assertThat(challenge.session()).isSameAs(ANONYMOUS);
            assertThat(challenge.close()).isFalse();
        });
    }

    @Test
    void oneFactorOnATwoFactorRuleIsChallenged() {
        Admission admission = Fixtures.done(decide(request("GET", "/records", "Host", "app.test"),
                Fixtures.signedIn(id, AuthFactor.PASSWORD)));

        assertThat(admission).isInstanceOf(Admission.Challenge.class);
    }

    @Test
    void denyRuleIs403EvenSignedIn() {
        Admission.Refuse refuse = refused(decide(request("GET", "/closed", "Host", "app.test"),
                Fixtures.twoFactors(id)));

        assertThat(refuse.status()).isEqualTo(403);
        assertThat(refuse.code()).isEqualTo("POLICY_DENY");
        assertThat(refuse.rule()).isEqualTo("closed");
        assertThat(refuse.route()).isEqualTo("app");
        assertThat(refuse.close()).isFalse();
    }

    @Test
    void denyWithABodyFollowingCloses() {
        assertThat(refused(decide(request("POST", "/closed", "Host", "app.test", "Content-Length", "3"),
                Fixtures.twoFactors(id))).close()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/PROGRA~1/x", "/web.config::$DATA", "/admin./", "/a%20/b"})
    void windowsPathAliasOnACaseInsensitiveRouteIs400(String path) {
        Admission.Refuse refuse = refused(decide(request("GET", path, "Host", "iis.test"), Fixtures.twoFactors(id)));

        assertThat(refuse.status()).isEqualTo(400);
        assertThat(refuse.code()).isEqualTo("WINDOWS_PATH_ALIAS");
    }

    @Test
    void sameAliasOnACaseSensitiveRouteIsJustAPath() {
        assertThat(decide(request("GET", "/PROGRA~1/x", "Host", "app.test"), Fixtures.twoFactors(id)))
                .isInstanceOf(Stage.Step.Next.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/records", "/closed"})
    void storeFailureIs503ForAnythingButABypass(String path) {
        Admission.Refuse refuse = refused(decideWithoutStore(request("GET", path, "Host", "app.test")));

        assertThat(refuse.status()).isEqualTo(503);
        assertThat(refuse.code()).isEqualTo("SESSION_STORE_UNAVAILABLE");
        assertThat(refuse.cause()).hasMessage("store down");
    }

    @Test
    void storeFailureLetsABypassThroughWithoutIdentity() {
        AdmissionContext next = next(decideWithoutStore(request("GET", "/public", "Host", "app.test")));

        assertThat(next.bypass()).isTrue();
        assertThat(next.session().signedIn()).isFalse();
    }
}
