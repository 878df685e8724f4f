package org.portcullis.rdg;

import org.portcullis.rdg.RdgProtocolException.Reason;

/**
 * The body of the IN channel's long request ({@code Transfer-Encoding: chunked}), unwrapped strictly: a chunk size of
 * 1 to {@value #MAX_SIZE_DIGITS} hex digits, no extensions, CRLF, the data, CRLF. The last chunk (size 0) ends the
 * stream; trailers are not taken. Payload is handed on as it arrives, so no chunk is buffered whatever its size says.
 */
public final class ChunkedStream {
    static final int MAX_SIZE_DIGITS = 6;
    /** A chunk carries at most one data packet and a little: FreeRDP and mstsc send one packet per chunk. */
    public static final int MAX_CHUNK = ClientPacketDecoder.MAX_DATA_PACKET * 2;

    private enum State { SIZE, SIZE_LF, DATA, DATA_CR, DATA_LF, END_CR, END_LF, ENDED }

    private final PayloadSink sink;
    private State state = State.SIZE;
    private int digits;
    private int size;
    private int left;

    public ChunkedStream(PayloadSink sink) {
        this.sink = sink;
    }

    /** True once the last chunk arrived. */
    public boolean ended() {
        return state == State.ENDED;
    }

    public void decode(byte[] src, int offset, int length) throws RdgProtocolException {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            switch (state) {
                case SIZE -> {
                    int c = src[at++];
                    int digit = Character.digit(c, 16);
                    if (digit >= 0 && digits < MAX_SIZE_DIGITS) {
                        size = size * 16 + digit;
                        digits++;
                    } else if (c == '\r' && digits > 0) {
                        if (size > MAX_CHUNK) {
                            throw new RdgProtocolException(Reason.OVERSIZED, "chunk above the cap");
                        }
                        state = State.SIZE_LF;
                    } else {
                        throw new RdgProtocolException(Reason.MALFORMED, "bad chunk size");
                    }
                }
                case SIZE_LF -> {
                    expect(src[at++], '\n');
                    left = size;
                    state = size == 0 ? State.END_CR : State.DATA;
                }
                case DATA -> {
                    int take = Math.min(left, end - at);
                    sink.payload(src, at, take);
                    at += take;
                    left -= take;
                    if (left == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    expect(src[at++], '\r');
                    state = State.DATA_LF;
                }
                case DATA_LF -> {
                    expect(src[at++], '\n');
                    state = State.SIZE;
                    digits = 0;
                    size = 0;
                }
                case END_CR -> {
                    expect(src[at++], '\r');
                    state = State.END_LF;
                }
                case END_LF -> {
                    expect(src[at++], '\n');
                    state = State.ENDED;
                }
                case ENDED -> throw new RdgProtocolException(Reason.MALFORMED, "bytes after the last chunk");
            }
        }
    }

    private static void expect(int got, char wanted) throws RdgProtocolException {
        if (got != wanted) {
            throw new RdgProtocolException(Reason.MALFORMED, "bad chunk framing");
        }
    }
}
