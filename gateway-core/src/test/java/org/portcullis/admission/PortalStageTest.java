package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.routed;

import org.junit.jupiter.api.Test;
import org.portcullis.session.SessionId;
import org.portcullis.signin.ResolvedSession;

/** Stage 5: the gateway's own pages go to the portal with the caller's session; routes go on to the policy. */
class PortalStageTest {
    final PortalStage stage = new PortalStage();

    @Test
    void portalRequestIsAnsweredByThePortalWithItsSession() {
        SessionId id = Fixtures.sessionId();
        ResolvedSession session = Fixtures.twoFactors(id);
        AdmissionContext context = routed(request("POST", "/.portcullis/login", "Host", "app.test",
                "Content-Length", "3")).withSession(session);

        Admission admission = Fixtures.done(stage.apply(context));

        assertThat(admission).isInstanceOfSatisfying(Admission.Portal.class, portal -> {
            assertThat(portal.session()).isSameAs(session);
            assertThat(portal.request().path()).isEqualTo("/.portcullis/login");
            assertThat(portal.bodyFollows()).isTrue();
            assertThat(portal.snapshot()).isSameAs(Fixtures.SNAPSHOT);
        });
    }

    @Test
    void portalRequestWithoutTheStoreIs503() {
        AdmissionContext context = routed(request("GET", "/.portcullis/login", "Host", "app.test"))
                .withoutSession(new IllegalStateException("store down"));

        Admission.Refuse refuse = Fixtures.refused(stage.apply(context));

        assertThat(refuse.status()).isEqualTo(503);
        assertThat(refuse.code()).isEqualTo("SESSION_STORE_UNAVAILABLE");
        assertThat(refuse.cause()).hasMessage("store down");
    }

    @Test
    void routeRequestGoesOnUntouched() {
        AdmissionContext context = routed(request("GET", "/x", "Host", "app.test"))
                .withSession(ResolvedSession.without(ResolvedSession.Status.NONE));

        Stage.Step step = stage.apply(context);

        assertThat(step).isEqualTo(new Stage.Step.Next(context));
    }
}
