package org.portcullis.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Follows the frames of one direction of a WebSocket tunnel (RFC 6455 §5.2) without touching the bytes, so the
 * gateway knows where one frame ends and may put a frame of its own there: the close frame it sends when it shuts down.
 * A tunnel starts at a frame boundary (the 101 was the last HTTP byte). Cost: a look at each header, a subtraction
 * per read for payload.
 */
final class WebSocketFrameBoundary {
    private static final int MAX_HEADER = 14;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    private long payloadLeft;

    /** Whether every byte seen so far belongs to a complete frame. */
    boolean atBoundary() {
        return headerLength == 0 && payloadLeft == 0;
    }

    /**
     * Follows the readable bytes of {@code buf} (its indexes unchanged) and returns how many were taken: all of them,
     * or, with {@code stopAtBoundary}, only those up to the first frame boundary reached (at least one byte).
     */
    int follow(ByteBuf buf, boolean stopAtBoundary) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        int i = start;
        while (i < end) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, end - i);
                i += skip;
                payloadLeft -= skip;
            } else {
                header[headerLength++] = buf.getByte(i++);
                if (headerLength >= 2 && headerLength == headerSize()) {
                    payloadLeft = payloadLength();
                    headerLength = 0;
                }
            }
            if (stopAtBoundary && atBoundary()) {
                break;
            }
        }
        return i - start;
    }

    private int headerSize() {
        int length7 = header[1] & 0x7f;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        int mask = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + extended + mask;
    }

    private long payloadLength() {
        int length7 = header[1] & 0x7f;
        if (length7 < 126) {
            return length7;
        }
        int bytes = length7 == 126 ? 2 : 8;
        long length = 0;
        for (int k = 0; k < bytes; k++) {
            length = (length << 8) | (header[2 + k] & 0xff);
        }
        return length < 0 ? Long.MAX_VALUE : length; // a 64-bit length with its top bit set is invalid: never ends
    }
}
