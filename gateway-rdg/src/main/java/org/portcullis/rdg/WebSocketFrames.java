package org.portcullis.rdg;

import org.portcullis.rdg.RdgProtocolException.Reason;

/**
 * WebSocket framing (RFC 6455) of the RD Gateway's WebSocket transport, gateway side. Client frames must be masked;
 * binary and continuation payloads are unmasked and handed on as they arrive (never buffered whole), pings are
 * answered through {@link Control}, a close frame ends the stream, text frames and reserved bits are refused. A
 * frame longer than {@link ChunkedStream#MAX_CHUNK} is refused before any of it is read.
 */
public final class WebSocketFrames {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    static final int MAX_CONTROL_PAYLOAD = 125;

    /** What the gateway must do about control frames. */
    public interface Control {
        void ping(byte[] payload);

        void close();
    }

    private enum State { HEAD, HEAD2, LENGTH, MASK, PAYLOAD, ENDED }

    private final PayloadSink sink;
    private final Control control;
    private State state = State.HEAD;
    private int first;
    private int opcode;
    private int lengthBytes;
    private long length;
    private final byte[] mask = new byte[4];
    private int maskFill;
    private long done;
    private byte[] controlPayload;

    public WebSocketFrames(PayloadSink sink, Control control) {
        this.sink = sink;
        this.control = control;
    }

    public boolean ended() {
        return state == State.ENDED;
    }

    public void decode(byte[] src, int offset, int length) throws RdgProtocolException {
        int at = offset;
        int end = offset + length;
        byte[] unmasked = null;
        while (at < end) {
            switch (state) {
                case HEAD -> {
                    first = src[at++] & 0xFF;
                    state = State.HEAD2;
                }
                case HEAD2 -> {
                    int b0 = first;
                    int b1 = src[at++] & 0xFF;
                    if ((b0 & 0x70) != 0) {
                        throw new RdgProtocolException(Reason.MALFORMED, "reserved frame bits set");
                    }
                    opcode = b0 & 0x0F;
                    if ((b1 & 0x80) == 0) {
                        throw new RdgProtocolException(Reason.MALFORMED, "client frame not masked");
                    }
                    boolean controlFrame = (opcode & 0x8) != 0;
                    if (!(opcode == OP_BINARY || opcode == OP_CONTINUATION || opcode == OP_CLOSE || opcode == OP_PING
                            || opcode == OP_PONG)) {
                        throw new RdgProtocolException(Reason.UNKNOWN_TYPE, "frame opcode " + opcode);
                    }
                    if (controlFrame && (b0 & 0x80) == 0) {
                        throw new RdgProtocolException(Reason.MALFORMED, "fragmented control frame");
                    }
                    int small = b1 & 0x7F;
                    this.length = small;
                    lengthBytes = small == 126 ? 2 : small == 127 ? 8 : 0;
                    if (lengthBytes > 0) {
                        this.length = 0;
                    }
                    if (controlFrame && lengthBytes > 0) {
                        throw new RdgProtocolException(Reason.OVERSIZED, "control frame too long");
                    }
                    maskFill = 0;
                    done = 0;
                    state = lengthBytes > 0 ? State.LENGTH : State.MASK;
                }
                case LENGTH -> {
                    this.length = (this.length << 8) | (src[at++] & 0xFF);
                    if (--lengthBytes == 0) {
                        if (this.length < 0 || this.length > ChunkedStream.MAX_CHUNK) {
                            throw new RdgProtocolException(Reason.OVERSIZED, "frame above the cap");
                        }
                        state = State.MASK;
                    }
                }
                case MASK -> {
                    mask[maskFill++] = src[at++];
                    if (maskFill == 4) {
                        state = State.PAYLOAD;
                        controlPayload = (opcode & 0x8) != 0 ? new byte[(int) this.length] : null;
                        if (this.length == 0) {
                            frameDone();
                        }
                    }
                }
                case PAYLOAD -> {
                    int take = (int) Math.min(this.length - done, end - at);
                    if (unmasked == null || unmasked.length < take) {
                        unmasked = new byte[Math.max(take, 1024)];
                    }
                    for (int i = 0; i < take; i++) {
                        unmasked[i] = (byte) (src[at + i] ^ mask[(int) ((done + i) & 3)]);
                    }
                    if (controlPayload != null) {
                        System.arraycopy(unmasked, 0, controlPayload, (int) done, take);
                    } else {
                        sink.payload(unmasked, 0, take);
                    }
                    at += take;
                    done += take;
                    if (done == this.length) {
                        frameDone();
                    }
                }
                case ENDED -> throw new RdgProtocolException(Reason.MALFORMED, "frames after close");
            }
        }
    }

    private void frameDone() {
        state = State.HEAD;
        if (opcode == OP_PING) {
            control.ping(controlPayload);
        } else if (opcode == OP_CLOSE) {
            state = State.ENDED;
            control.close();
        }
        controlPayload = null;
    }

    /** One unmasked binary frame around {@code payload} (server to client). */
    public static byte[] binary(byte[] payload) {
        return frame(OP_BINARY, payload);
    }

    public static byte[] pong(byte[] payload) {
        return frame(OP_PONG, payload);
    }

    public static byte[] close() {
        return frame(OP_CLOSE, new byte[] {0x03, (byte) 0xE8});
    }

    static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int head = n < 126 ? 2 : n < 0x10000 ? 4 : 10;
        byte[] out = new byte[head + n];
        out[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            out[1] = (byte) n;
        } else if (n < 0x10000) {
            out[1] = 126;
            out[2] = (byte) (n >>> 8);
            out[3] = (byte) n;
        } else {
            out[1] = 127;
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, out, head, n);
        return out;
    }
}
