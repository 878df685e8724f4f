package org.portcullis.rdg;

/** Takes the payload bytes a carrier ({@link ChunkedStream}, {@link WebSocketFrames}) unwrapped, in order. */
@FunctionalInterface
public interface PayloadSink {
    void payload(byte[] src, int offset, int length) throws RdgProtocolException;
}
