package org.portcullis.audit;

/**
 * Where audit events go. {@link #record} is called on event-loop threads, so it never blocks and never throws: a
 * sink that cannot keep up drops and counts (and says so in the log) rather than stall traffic.
 */
public interface AuditSink extends AutoCloseable {

    void record(AuditEvent event);

    /**
     * Why the sink cannot write now (its last write or flush failed, its writer stopped, it was closed), as a short
     * fixed text without paths or secrets, for the readiness check; empty while it writes.
     */
    default java.util.Optional<String> problem() {
        return java.util.Optional.empty();
    }

    /** Events dropped so far (queue full, write failed before queuing, recorded after close); 0 if none can be. */
    default long dropped() {
        return 0;
    }

    /** Writes out everything recorded so far, then releases the sink; later events are dropped. */
    @Override
    void close();
}
