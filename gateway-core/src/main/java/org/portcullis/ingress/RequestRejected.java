package org.portcullis.ingress;

import java.util.Objects;

/**
 * Message passed up the pipeline instead of a request when the decoder or the canonicalizer refuses it.
 * {@code detail} is a short constant-ish text for logs; it never contains raw header values, cookies or tokens.
 */
public record RequestRejected(RejectReason reason, String detail) {
    public RequestRejected {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
