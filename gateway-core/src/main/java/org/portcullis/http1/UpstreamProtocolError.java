package org.portcullis.http1;

import java.util.Objects;

/**
 * Emitted by {@link StrictHttpResponseDecoder} instead of (the rest of) a response when the upstream broke HTTP/1
 * framing. The gateway answers 502 if nothing of the response reached the client yet, otherwise it closes the client
 * connection; either way it closes the upstream connection. {@code reason} is a constant text (a reason name and a
 * short detail) and never contains bytes the upstream sent.
 */
public record UpstreamProtocolError(String reason) {
    public UpstreamProtocolError {
        Objects.requireNonNull(reason, "reason");
    }
}
