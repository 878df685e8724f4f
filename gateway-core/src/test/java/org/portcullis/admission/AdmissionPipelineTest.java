package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline itself: stages in order, every failure a refusal (never a forward), and an asynchronous stage resumed
 * on the connection's executor only when it really had to wait.
 */
class AdmissionPipelineTest {
    static final AdmissionContext START = Fixtures.start(Fixtures.request("GET", "/", "Host", "app.test"));
    static final Admission DECIDED = new Admission.Refuse(418, "DECIDED_BY_LAST_STAGE", null, null, null, false);

    final List<String> ran = new ArrayList<>();
    final List<Admission> decisions = new ArrayList<>();
    final List<String> decidedOn = new ArrayList<>();
    final RecordingExecutor loop = new RecordingExecutor();

    /** An executor that runs nothing until told to, so a test sees what was handed to it. */
    static final class RecordingExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    Stage passing(String name) {
        return context -> {
            ran.add(name);
            return new Stage.Step.Next(context);
        };
    }

    Stage deciding(String name) {
        return context -> {
            ran.add(name);
            return new Stage.Step.Done(DECIDED);
        };
    }

    Stage waitingFor(String name, CompletableFuture<AdmissionContext> result) {
        return context -> {
            ran.add(name);
            return new Stage.Step.Later(result);
        };
    }

    void admit(Stage... stages) {
        new AdmissionPipeline(List.of(stages)).admit(START, loop, admission -> {
            decisions.add(admission);
            decidedOn.add(Thread.currentThread().getName());
        });
    }

    static void assertInternalError(Admission admission) {
        assertThat(admission).isInstanceOfSatisfying(Admission.Refuse.class, refuse -> {
            assertThat(refuse.status()).isEqualTo(500);
            assertThat(refuse.code()).startsWith("INTERNAL_ERROR:");
            assertThat(refuse.close()).isTrue();
        });
    }

    @Test
    void stagesRunInOrderUntilOneDecides() {
        admit(passing("a"), passing("b"), deciding("c"), passing("never"));

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(decisions).containsExactly(DECIDED);
        assertThat(loop.tasks).isEmpty();
    }

    @Test
    void eachStageGetsWhatThePreviousOneFound() {
        AdmissionContext changed = START.allowedBy("rule-from-a", true);
        List<AdmissionContext> seen = new ArrayList<>();
        admit(context -> new Stage.Step.Next(changed), context -> {
            seen.add(context);
            return new Stage.Step.Done(DECIDED);
        });

        assertThat(seen).containsExactly(changed);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void exceptionInAnyStageIsA500WithTheCause(int failing) {
        IllegalStateException boom = new IllegalStateException("boom");
        List<Stage> stages = new ArrayList<>(List.of(passing("0"), passing("1"), passing("2"), deciding("last")));
        stages.set(failing, context -> {
            throw boom;
        });

        admit(stages.toArray(Stage[]::new));

        assertThat(decisions).singleElement().satisfies(AdmissionPipelineTest::assertInternalError);
        assertThat(((Admission.Refuse) decisions.get(0)).cause()).isSameAs(boom);
        assertThat(ran).doesNotContain("last");
    }

    @Test
    void noStageDecidingIsA500() {
        admit(passing("a"), passing("b"));

        assertThat(decisions).singleElement().satisfies(AdmissionPipelineTest::assertInternalError);
    }

    @Test
    void laterThatIsAlreadyCompleteGoesOnOnTheCallingThread() {
        admit(waitingFor("lookup", CompletableFuture.completedFuture(START)), deciding("next"));

        assertThat(ran).containsExactly("lookup", "next");
        assertThat(decisions).containsExactly(DECIDED);
        assertThat(decidedOn).containsExactly(Thread.currentThread().getName());
        assertThat(loop.tasks).as("nothing was handed to the event loop").isEmpty();
    }

    @Test
    void pendingLaterResumesOnTheGivenExecutor() throws Exception {
        CompletableFuture<AdmissionContext> store = new CompletableFuture<>();
        admit(waitingFor("lookup", store), deciding("next"));

        assertThat(ran).containsExactly("lookup");
        assertThat(decisions).isEmpty();

        // The store answers on its own thread; the pipeline only hands the rest to the connection's executor.
        Thread storeThread = new Thread(() -> store.complete(START), "store-thread");
        storeThread.start();
        storeThread.join();
        assertThat(ran).containsExactly("lookup");
        assertThat(decisions).isEmpty();
        assertThat(loop.tasks).hasSize(1);

        loop.runAll();
        assertThat(ran).containsExactly("lookup", "next");
        assertThat(decisions).containsExactly(DECIDED);
        assertThat(decidedOn).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void pendingLaterFailingIsARefusalOnTheExecutorAndNothingLaterRuns() {
        CompletableFuture<AdmissionContext> store = new CompletableFuture<>();
        admit(waitingFor("lookup", store), deciding("next"));

        IllegalStateException down = new IllegalStateException("store down");
        store.completeExceptionally(down);
        assertThat(decisions).isEmpty();
        loop.runAll();

        assertThat(decisions).singleElement().satisfies(AdmissionPipelineTest::assertInternalError);
        assertThat(((Admission.Refuse) decisions.get(0)).cause()).isSameAs(down);
        assertThat(ran).containsExactly("lookup");
    }

    @Test
    void pendingLaterWithNothingIsARefusal() {
        CompletableFuture<AdmissionContext> store = new CompletableFuture<>();
        admit(waitingFor("lookup", store), deciding("next"));

        store.complete(null);
        loop.runAll();

        assertThat(decisions).singleElement().satisfies(AdmissionPipelineTest::assertInternalError);
        assertThat(ran).containsExactly("lookup");
    }

    @Test
    void laterAlreadyFailedIsARefusalAtOnce() {
        admit(waitingFor("lookup", CompletableFuture.failedFuture(new IllegalStateException("down"))),
                deciding("next"));

        assertThat(decisions).singleElement().satisfies(AdmissionPipelineTest::assertInternalError);
        assertThat(ran).containsExactly("lookup");
        assertThat(loop.tasks).isEmpty();
    }

    @Test
    void laterAlreadyCompleteWithNothingIsARefusal() {
        admit(waitingFor("lookup", CompletableFuture.completedFuture(null)), deciding("next"));

        assertThat(decisions).singleElement().satisfies(AdmissionPipelineTest::assertInternalError);
        assertThat(ran).containsExactly("lookup");
    }

    @Test
    void stagesAfterAResumedLaterCanWaitAgain() {
        CompletableFuture<AdmissionContext> first = new CompletableFuture<>();
        CompletableFuture<AdmissionContext> second = new CompletableFuture<>();
        admit(waitingFor("one", first), waitingFor("two", second), deciding("three"));

        first.complete(START);
        loop.runAll();
        assertThat(ran).containsExactly("one", "two");
        second.complete(START);
        loop.runAll();

        assertThat(ran).containsExactly("one", "two", "three");
        assertThat(decisions).containsExactly(DECIDED);
    }

    @Test
    void standardPipelineRefusesAnUnroutedRequestWithoutWaiting() {
        AdmissionPipeline standard = AdmissionPipeline.standard(new SessionStage(null, new RecordingAuditSink()),
                new IdentityStage(new org.portcullis.upstream.UpstreamIdentity(null)));
        standard.admit(Fixtures.start(Fixtures.request("GET", "/", "Host", "nowhere.test")), loop, decisions::add);

        assertThat(decisions).singleElement().isInstanceOfSatisfying(Admission.Refuse.class,
                refuse -> assertThat(refuse.code()).isEqualTo("NO_ROUTE"));
        assertThat(loop.tasks).isEmpty();
    }
}
