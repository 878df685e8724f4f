package org.portcullis.admission;

import java.util.concurrent.CompletionStage;

/**
 * One step of admitting a request ({@link AdmissionPipeline} lists them in order). A stage does one job and says what
 * happens next: go on with what it found, answer now, or go on later (an asynchronous stage, such as the session
 * lookup, whose result resumes the pipeline on the connection's event loop).
 */
public interface Stage {

    Step apply(AdmissionContext context);

    /** What a stage decided. */
    sealed interface Step {
        /** Go on to the next stage with {@code context}. */
        record Next(AdmissionContext context) implements Step {
        }

        /** The request is decided: no later stage runs. */
        record Done(Admission admission) implements Step {
        }

        /** Go on to the next stage when {@code context} completes (it must not complete exceptionally). */
        record Later(CompletionStage<AdmissionContext> context) implements Step {
        }
    }
}
