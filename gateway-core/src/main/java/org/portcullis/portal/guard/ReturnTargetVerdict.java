package org.portcullis.portal.guard;

import java.util.Objects;

/** The outcome of checking one {@code rd} value: the target, or the reason it was refused. */
public sealed interface ReturnTargetVerdict {

    /** The target to go to: the accepted one, or {@code fallback} (the portal's home) after a refusal. */
    ReturnTarget targetOr(ReturnTarget fallback);

    /** {@code rd} names a protected host, over the portal's scheme and port rules, with a clean path. */
    record Accepted(ReturnTarget target) implements ReturnTargetVerdict {
        public Accepted {
            Objects.requireNonNull(target, "target");
        }

        @Override
        public ReturnTarget targetOr(ReturnTarget fallback) {
            return target;
        }
    }

    /** {@code rd} broke a rule; the reason goes to the audit log. */
    record Refused(ReturnTargetRefusal reason) implements ReturnTargetVerdict {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public ReturnTarget targetOr(ReturnTarget fallback) {
            return Objects.requireNonNull(fallback, "fallback");
        }
    }
}
