package org.portcullis.admission;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.portcullis.audit.AuditEvent;
import org.portcullis.audit.AuditSink;

/** Keeps what the stages record, for the tests to read. */
final class RecordingAuditSink implements AuditSink {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    @Override
    public void close() {
    }
}
