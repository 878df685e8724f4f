package org.portcullis.pool;

/** Receives what one upstream connection reports while it serves an exchange. Called on the connection's loop. */
public interface UpstreamListener {
    /** A decoded response message (HttpResponse, HttpContent, LastHttpContent, a protocol error, or raw tunnel bytes). */
    void onUpstreamMessage(Object message);

    /** The upstream connection's read burst ended: flush what was relayed to the client. */
    void onUpstreamReadComplete();

    /** The upstream's socket became writable again (request-body backpressure). */
    void onUpstreamWritable();

    /** The upstream connection closed or failed; {@code cause} is null for an orderly close. */
    void onUpstreamClosed(Throwable cause);
}
