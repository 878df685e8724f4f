package org.portcullis.audit;

/**
 * Where audit events go. {@link #record} is called on event-loop threads, so it never blocks and never throws: a
 * sink that cannot keep up drops and counts (and says so in the log) rather than stall traffic.
 */
public interface AuditSink extends AutoCloseable {

    void record(AuditEvent event);

    /** Writes out everything recorded so far, then releases the sink; later events are dropped. */
    @Override
    void close();
}
