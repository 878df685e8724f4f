package org.portcullis.proxy;

/** The upstream's connection limit is reached; the client gets 503. */
final class UpstreamBusyException extends Exception {
    UpstreamBusyException(UpstreamKey key) {
        super("connection limit reached for " + key, null, false, false);
    }
}
