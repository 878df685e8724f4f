package org.portcullis.admission;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The stages every request goes through, in this order, top to bottom:
 * <ol>
 *   <li>{@link CanonicaliseStage} — the canonical request and the gateway's cookie, or 400;</li>
 *   <li>{@link DestinationStage} — a route, or the gateway's own pages, or 404;</li>
 *   <li>{@link RouteLimitsStage} — the route's body and WebSocket limits;</li>
 *   <li>{@link SessionStage} — the caller's session (may wait for the store);</li>
 *   <li>{@link PortalStage} — the gateway's own pages are answered by the portal;</li>
 *   <li>{@link PolicyStage} — allow, deny or challenge, on exactly the canonical request;</li>
 *   <li>{@link IdentityStage} — the head to forward, with the identity the caller earned.</li>
 * </ol>
 * Each request ends in exactly one {@link Admission}: forward, portal, challenge or refuse. Any exception in a stage
 * is a refusal (SECURITY-RULES 10): there is no path from an error to {@link Admission.Forward}.
 */
public final class AdmissionPipeline {
    private final List<Stage> stages;

    /** The gateway's stages, with the store's session lookup and the identity writer of this process. */
    public static AdmissionPipeline standard(SessionStage session, IdentityStage identity) {
        return new AdmissionPipeline(List.of(new CanonicaliseStage(), new DestinationStage(), new RouteLimitsStage(),
                session, new PortalStage(), new PolicyStage(), identity));
    }

    AdmissionPipeline(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /**
     * Runs the stages on {@code start} and hands the decision to {@code decided}: on this thread when no stage had to
     * wait (or what it waited for was already there), else on {@code eventLoop}, where the request's connection lives.
     */
    public void admit(AdmissionContext start, Executor eventLoop, Consumer<Admission> decided) {
        Objects.requireNonNull(eventLoop, "eventLoop");
        run(start, 0, eventLoop, decided);
    }

    private void run(AdmissionContext start, int from, Executor eventLoop, Consumer<Admission> decided) {
        AdmissionContext context = start;
        for (int i = from; i < stages.size(); i++) {
            Stage.Step step;
            try {
                step = stages.get(i).apply(context);
            } catch (RuntimeException e) {
                decided.accept(Refusals.internalError(e));
                return;
            }
            if (step == null) {
                // Checked here rather than with a message built up front: that cost a string per stage per request.
                decided.accept(Refusals.internalError(new IllegalStateException("stage " + i + " said nothing")));
                return;
            }
            if (step instanceof Stage.Step.Done done) {
                decided.accept(done.admission());
                return;
            }
            if (step instanceof Stage.Step.Later later) {
                CompletableFuture<AdmissionContext> next = later.context() == null ? null
                        : later.context().toCompletableFuture();
                if (next == null) {
                    decided.accept(Refusals.internalError(new IllegalStateException("stage " + i + " waits on nothing")));
                    return;
                }
                if (!next.isDone()) {
                    int resumeAt = i + 1;
                    next.whenComplete((ready, error) -> eventLoop.execute(() -> resume(ready, error, resumeAt,
                            eventLoop, decided)));
                    return;
                }
                if (next.isCompletedExceptionally() || next.join() == null) {
                    decided.accept(Refusals.internalError(new IllegalStateException("stage " + i + " failed")));
                    return;
                }
                context = next.join();
                continue;
            }
            context = ((Stage.Step.Next) step).context();
        }
        decided.accept(Refusals.internalError(new IllegalStateException("no stage decided")));
    }

    private void resume(AdmissionContext ready, Throwable error, int at, Executor eventLoop,
                        Consumer<Admission> decided) {
        if (error != null || ready == null) {
            decided.accept(Refusals.internalError(error == null ? new IllegalStateException("no context") : error));
            return;
        }
        run(ready, at, eventLoop, decided);
    }
}
