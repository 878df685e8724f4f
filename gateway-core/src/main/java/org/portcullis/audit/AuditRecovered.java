package org.portcullis.audit;

import java.util.Objects;

/**
 * At start the active audit file ended in a line cut short (the process or machine stopped in the middle of a
 * write). The fragment stays where it is, as evidence; this event follows it, continues the chain from the last
 * complete line, and binds the fragment by its length and SHA-256, so {@code audit verify} accepts exactly that
 * fragment and nothing else in its place.
 *
 * @param file        the file that held the fragment
 * @param tornBytes   the fragment's length in bytes
 * @param tornSha256  SHA-256 of the fragment, lower-case hex
 */
public record AuditRecovered(String file, long tornBytes, String tornSha256) implements AuditEvent {

    public static final String ACTION = "audit.recovered";
    public static final String REASON_TORN_LINE = "torn_last_line";

    public AuditRecovered {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tornSha256, "tornSha256");
    }

    @Override
    public String action() {
        return ACTION;
    }

    /** The trail itself came to no harm, but the event the fragment was is lost: an auditor should look. */
    @Override
    public AuditOutcome outcome() {
        return AuditOutcome.FAILURE;
    }

    @Override
    public String reason() {
        return REASON_TORN_LINE;
    }
}
