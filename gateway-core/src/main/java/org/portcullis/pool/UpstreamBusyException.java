package org.portcullis.pool;

/** The upstream's connection limit is reached; the client gets 503. */
public final class UpstreamBusyException extends Exception {
    UpstreamBusyException(UpstreamKey key) {
        super("connection limit reached for " + key, null, false, false);
    }
}
