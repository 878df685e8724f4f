package org.portcullis.rdg;

/** The client's bytes broke the protocol; {@link #reason()} says how, for the audit trail (no client data in it). */
public final class RdgProtocolException extends Exception {
    /** How the bytes broke the protocol. */
    public enum Reason {
        /** A packet ended before its fields did, or the stream ended inside a packet. */
        TRUNCATED,
        /** A declared length above the cap for its packet type. */
        OVERSIZED,
        /** A packet type the gateway does not take from a client. */
        UNKNOWN_TYPE,
        /** A known packet at a point of the exchange where it does not belong. */
        WRONG_ORDER,
        /** Fields that do not add up: lengths that disagree, odd UTF-16 lengths, bad framing of the carrier. */
        MALFORMED
    }

    private final Reason reason;

    public RdgProtocolException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
