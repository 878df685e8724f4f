package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.admission.Fixtures.request;
import static org.portcullis.admission.Fixtures.routed;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.portcullis.audit.SignInEvent;
import org.portcullis.session.SessionId;
import org.portcullis.signin.ResolvedSession;

/** Stage 4: the caller's session, at once, later from the store, or the store's failure passed on. */
class SessionStageTest {
    final RecordingAuditSink audit = new RecordingAuditSink();
    final SessionId id = Fixtures.sessionId();
    final AdmissionContext withCookie = routed(request("GET", "/x", "Host", "app.test", "Cookie",
            "a=1; " + Fixtures.cookieFor(id)));

    static AdmissionContext next(Stage.Step step) {
        assertThat(step).isInstanceOf(Stage.Step.Next.class);
        return ((Stage.Step.Next) step).context();
    }

    static CompletableFuture<AdmissionContext> later(Stage.Step step) {
        assertThat(step).isInstanceOf(Stage.Step.Later.class);
        return ((Stage.Step.Later) step).context().toCompletableFuture();
    }

    @Test
    void gatewayWithoutSignInGoesOnAtOnceAndKnowsNoSession() {
        AdmissionContext next = next(new SessionStage(null, audit).apply(withCookie));

        assertThat(next.session().status()).isEqualTo(ResolvedSession.Status.UNKNOWN);
        assertThat(next.session().signedIn()).isFalse();
        assertThat(next.sessionFailure()).isNull();
    }

    @Test
    void requestWithoutCookieIsNeverLookedUp() {
        AtomicInteger lookups = new AtomicInteger();
        SessionStage stage = new SessionStage((cookie, config) -> {
            lookups.incrementAndGet();
            return CompletableFuture.completedFuture(Fixtures.twoFactors(id));
        }, audit);

        AdmissionContext next = next(stage.apply(routed(request("GET", "/x", "Host", "app.test"))));

        assertThat(next.session().status()).isEqualTo(ResolvedSession.Status.NONE);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void pendingLookupGoesOnLaterWithTheSession() {
        CompletableFuture<ResolvedSession> store = new CompletableFuture<>();
        SessionStage stage = new SessionStage((cookie, config) -> {
            assertThat(cookie.id()).contains(id);
            assertThat(config).isSameAs(Fixtures.SNAPSHOT.config());
            return store;
        }, audit);

        CompletableFuture<AdmissionContext> later = later(stage.apply(withCookie));
        assertThat(later).isNotDone();

        ResolvedSession session = Fixtures.twoFactors(id);
        store.complete(session);
        assertThat(later).isCompleted();
        assertThat(later.join().session()).isSameAs(session);
        assertThat(later.join().sessionFailure()).isNull();
        assertThat(later.join().route().name()).as("what earlier stages found is kept").isEqualTo("app");
    }

    @Test
    void alreadyCompletedLookupIsALaterThatIsDone() {
        ResolvedSession session = Fixtures.twoFactors(id);
        SessionStage stage = new SessionStage((cookie, config) -> CompletableFuture.completedFuture(session), audit);

        CompletableFuture<AdmissionContext> later = later(stage.apply(withCookie));

        assertThat(later).isCompleted();
        assertThat(later.join().session()).isSameAs(session);
    }

    @Test
    void failedLookupPassesTheFailureOnAndNoSession() {
        IllegalStateException down = new IllegalStateException("store down");
        SessionStage stage = new SessionStage((cookie, config) -> CompletableFuture.failedFuture(down), audit);

        AdmissionContext next = later(stage.apply(withCookie)).join();

        assertThat(next.sessionFailure()).isSameAs(down);
        assertThat(next.session().signedIn()).isFalse();
    }

    @Test
    void lookupThatAnswersNothingIsAFailure() {
        SessionStage stage = new SessionStage((cookie, config) -> CompletableFuture.completedFuture(null), audit);

        AdmissionContext next = later(stage.apply(withCookie)).join();

        assertThat(next.sessionFailure()).isNotNull();
        assertThat(next.session().signedIn()).isFalse();
    }

    @Test
    void lookupThatThrowsIsAFailureAtOnce() {
        IllegalStateException full = new IllegalStateException("queue full");
        SessionStage stage = new SessionStage((cookie, config) -> {
            throw full;
        }, audit);

        AdmissionContext next = next(stage.apply(withCookie));

        assertThat(next.sessionFailure()).isSameAs(full);
        assertThat(next.session().signedIn()).isFalse();
    }

    @Test
    void expiredSessionIsAuditedOnceWithTheRequestId() {
        SessionStage stage = new SessionStage((cookie, config) -> CompletableFuture.completedFuture(
                new ResolvedSession(ResolvedSession.Status.EXPIRED_IDLE, id, null, null)), audit);

        AdmissionContext next = later(stage.apply(withCookie)).join();

        assertThat(next.session().signedIn()).isFalse();
        assertThat(audit.events).singleElement().isInstanceOfSatisfying(SignInEvent.class, event -> {
            assertThat(event.action()).isEqualTo(SignInEvent.ACTION_SESSION_EXPIRE);
            assertThat(event.reason()).isEqualTo("idle_timeout");
            assertThat(event.requestId()).isEqualTo("req-1");
            assertThat(event.host()).isEqualTo("app.test");
            assertThat(event.sourceIp()).isEqualTo("192.0.2.10");
            assertThat(event.sessionHash()).isEqualTo(id.hash().displayId());
        });
    }

    @Test
    void goodSessionIsNotAudited() {
        SessionStage stage = new SessionStage(
                (cookie, config) -> CompletableFuture.completedFuture(Fixtures.twoFactors(id)), audit);

        later(stage.apply(withCookie)).join();

        assertThat(audit.events).isEmpty();
    }
}
