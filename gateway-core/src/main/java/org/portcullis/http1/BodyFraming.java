package org.portcullis.http1;

/** How a message body is delimited (RFC 9112 §6.3). */
enum BodyFraming {
    /** No body: a request without Content-Length or Transfer-Encoding, or a HEAD/1xx/204/304 response. */
    NONE,
    /** Exactly Content-Length bytes. */
    FIXED,
    /** Transfer-Encoding: chunked. */
    CHUNKED,
    /** A response without either field: the body ends when the upstream closes. */
    UNTIL_CLOSE
}
