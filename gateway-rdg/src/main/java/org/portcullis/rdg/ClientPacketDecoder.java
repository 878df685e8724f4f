package org.portcullis.rdg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.rdg.RdgProtocolException.Reason;

/**
 * Reads the packets a client sends, incrementally, in the only order MS-TSGU allows: handshake, tunnel, tunnel
 * authorisation, channel, then data (with keepalives and the close). Anything else — a type the gateway does not take
 * from a client, a known type out of order, a declared length above its type's cap, fields that do not fill the
 * declared length exactly — throws {@link RdgProtocolException}, after which the decoder takes nothing more.
 *
 * <p>Memory: the decoder holds at most one packet, and only the bytes that actually arrived: a declared length is
 * checked against the cap of its type before a single byte of the body is kept, and the buffer grows with the bytes
 * received, never to the declared size. Not thread-safe: one per tunnel, on its event loop.
 */
public final class ClientPacketDecoder {
    /** Control packets carry a token, a machine name and a host name: 4 KiB is far more than any needs. */
    public static final int MAX_CONTROL_PACKET = 4096;
    /** A data packet carries at most 65535 bytes after its 2-byte length (cbDataLen is 16 bits). */
    public static final int MAX_DATA_PACKET = PacketType.HEADER_LENGTH + 2 + 0xFFFF;
    /** Longest UTF-16 string field taken (bytes): a token, a NetBIOS/DNS machine name, a host name. */
    static final int MAX_STRING_BYTES = 1024;
    /** Resources plus alternative resources in a channel request. */
    static final int MAX_RESOURCES = 8;

    /** Where in the exchange the client is: which packet may come next. */
    public enum Phase { HANDSHAKE, TUNNEL, TUNNEL_AUTH, CHANNEL, OPEN, CLOSED, FAILED }

    private final byte[] header = new byte[PacketType.HEADER_LENGTH];
    private int headerFill;
    private int type;
    private int declared;
    private byte[] body = new byte[0];
    private int bodyFill;
    private Phase phase = Phase.HANDSHAKE;

    public Phase phase() {
        return phase;
    }

    /** True when no packet is partly read (a stream may end here without truncating anything). */
    public boolean atBoundary() {
        return headerFill == 0;
    }

    /** Feeds {@code length} bytes; returns the packets they completed, in order. */
    public List<ClientPacket> decode(byte[] src, int offset, int length) throws RdgProtocolException {
        if (phase == Phase.FAILED) {
            throw new RdgProtocolException(Reason.MALFORMED, "decoder already failed");
        }
        List<ClientPacket> out = new ArrayList<>(2);
        int at = offset;
        int end = offset + length;
        try {
            while (at < end) {
                if (headerFill < header.length) {
                    int take = Math.min(header.length - headerFill, end - at);
                    System.arraycopy(src, at, header, headerFill, take);
                    headerFill += take;
                    at += take;
                    if (headerFill == header.length) {
                        startBody();
                    } else {
                        break;
                    }
                }
                int want = declared - PacketType.HEADER_LENGTH - bodyFill;
                int take = Math.min(want, end - at);
                if (take > 0) {
                    ensureRoom(bodyFill + take);
                    System.arraycopy(src, at, body, bodyFill, take);
                    bodyFill += take;
                    at += take;
                }
                if (bodyFill == declared - PacketType.HEADER_LENGTH) {
                    out.add(finishPacket());
                }
            }
        } catch (RdgProtocolException e) {
            phase = Phase.FAILED;
            throw e;
        }
        return out;
    }

    /** The stream ended: a packet cut short is {@link Reason#TRUNCATED}. */
    public void endOfStream() throws RdgProtocolException {
        if (!atBoundary()) {
            phase = Phase.FAILED;
            throw new RdgProtocolException(Reason.TRUNCATED, "stream ended inside a packet");
        }
    }

    private void startBody() throws RdgProtocolException {
        type = u16(header, 0);
        long length = u32(header, 4);
        expectType(type);
        long cap = type == PacketType.DATA ? MAX_DATA_PACKET : MAX_CONTROL_PACKET;
        if (length > cap) {
            throw new RdgProtocolException(Reason.OVERSIZED, "declared length above the cap of its type");
        }
        if (length < PacketType.HEADER_LENGTH) {
            throw new RdgProtocolException(Reason.TRUNCATED, "declared length shorter than the header");
        }
        declared = (int) length;
        bodyFill = 0;
    }

    /** Grows the body buffer to {@code needed} bytes that have arrived; never beyond the type's cap (checked before). */
    private void ensureRoom(int needed) {
        if (needed > body.length) {
            byte[] bigger = new byte[Math.max(needed, Math.min(body.length * 2, declared))];
            System.arraycopy(body, 0, bigger, 0, bodyFill);
            body = bigger;
        }
    }

    private void expectType(int type) throws RdgProtocolException {
        boolean known = switch (type) {
            case PacketType.HANDSHAKE_REQUEST, PacketType.TUNNEL_CREATE, PacketType.TUNNEL_AUTH,
                 PacketType.CHANNEL_CREATE, PacketType.DATA, PacketType.KEEPALIVE, PacketType.CLOSE_CHANNEL,
                 PacketType.CLOSE_CHANNEL_RESPONSE -> true;
            default -> false;
        };
        if (!known) {
            throw new RdgProtocolException(Reason.UNKNOWN_TYPE, "packet type " + type + " is not taken from a client");
        }
        boolean inOrder = switch (phase) {
            case HANDSHAKE -> type == PacketType.HANDSHAKE_REQUEST;
            case TUNNEL -> type == PacketType.TUNNEL_CREATE || type == PacketType.KEEPALIVE;
            case TUNNEL_AUTH -> type == PacketType.TUNNEL_AUTH || type == PacketType.KEEPALIVE;
            case CHANNEL -> type == PacketType.CHANNEL_CREATE || type == PacketType.KEEPALIVE;
            case OPEN -> type == PacketType.DATA || type == PacketType.KEEPALIVE || type == PacketType.CLOSE_CHANNEL
                    || type == PacketType.CLOSE_CHANNEL_RESPONSE;
            case CLOSED -> type == PacketType.CLOSE_CHANNEL_RESPONSE || type == PacketType.KEEPALIVE;
            case FAILED -> false;
        };
        if (!inOrder) {
            throw new RdgProtocolException(Reason.WRONG_ORDER, "packet type " + type + " in phase " + phase);
        }
    }

    private ClientPacket finishPacket() throws RdgProtocolException {
        Fields f = new Fields(body, bodyFill);
        ClientPacket packet = switch (type) {
            case PacketType.HANDSHAKE_REQUEST -> {
                ClientPacket p = new ClientPacket.HandshakeRequest(f.u8(), f.u8(), f.u16(), f.u16());
                phase = Phase.TUNNEL;
                yield p;
            }
            case PacketType.TUNNEL_CREATE -> {
                int caps = (int) f.u32();
                int fields = f.u16();
                f.u16();
                String cookie = (fields & 0x1) != 0 ? f.utf16() : null;
                if ((fields & 0x2) != 0) {
                    throw new RdgProtocolException(Reason.MALFORMED, "reauthentication is not offered");
                }
                if ((fields & ~0x3) != 0) {
                    throw new RdgProtocolException(Reason.MALFORMED, "unknown tunnel fields");
                }
                phase = Phase.TUNNEL_AUTH;
                yield new ClientPacket.TunnelCreate(caps, cookie);
            }
            case PacketType.TUNNEL_AUTH -> {
                int fields = f.u16();
                String name = f.utf16();
                if ((fields & 0x1) != 0) {
                    f.skip(f.u16()); // a statement of health: the gateway does no quarantine checks
                }
                if ((fields & ~0x1) != 0) {
                    throw new RdgProtocolException(Reason.MALFORMED, "unknown tunnel auth fields");
                }
                phase = Phase.CHANNEL;
                yield new ClientPacket.TunnelAuth(name);
            }
            case PacketType.CHANNEL_CREATE -> {
                int count = f.u8();
                int alternatives = f.u8();
                int port = f.u16();
                int protocol = f.u16();
                if (count < 1 || count + alternatives > MAX_RESOURCES) {
                    throw new RdgProtocolException(Reason.MALFORMED, "resource count out of range");
                }
                List<String> resources = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    resources.add(f.utf16());
                }
                List<String> alt = new ArrayList<>(alternatives);
                for (int i = 0; i < alternatives; i++) {
                    alt.add(f.utf16());
                }
                phase = Phase.OPEN;
                yield new ClientPacket.ChannelCreate(resources, alt, port, protocol);
            }
            case PacketType.DATA -> {
                int length = f.u16();
                yield new ClientPacket.Data(f.bytes(length));
            }
            case PacketType.KEEPALIVE -> new ClientPacket.Keepalive();
            case PacketType.CLOSE_CHANNEL -> {
                phase = Phase.CLOSED;
                yield new ClientPacket.CloseChannel((int) f.u32());
            }
            case PacketType.CLOSE_CHANNEL_RESPONSE -> {
                phase = Phase.CLOSED;
                yield new ClientPacket.CloseChannelResponse((int) f.u32());
            }
            default -> throw new RdgProtocolException(Reason.UNKNOWN_TYPE, "packet type " + type);
        };
        f.expectEnd();
        headerFill = 0;
        bodyFill = 0;
        if (body.length > MAX_CONTROL_PACKET) {
            body = new byte[0]; // a large data packet's buffer is not kept for the next small packet
        }
        return packet;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xFFFFFFFFL;
    }

    /** Reads the fields of one packet body; every read is bounds-checked against what the packet declared. */
    private static final class Fields {
        private final byte[] b;
        private final int end;
        private int at;

        Fields(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        private void need(int n) throws RdgProtocolException {
            if (n < 0 || end - at < n) {
                throw new RdgProtocolException(Reason.TRUNCATED, "packet shorter than its fields");
            }
        }

        int u8() throws RdgProtocolException {
            need(1);
            return b[at++] & 0xFF;
        }

        int u16() throws RdgProtocolException {
            need(2);
            int v = ClientPacketDecoder.u16(b, at);
            at += 2;
            return v;
        }

        long u32() throws RdgProtocolException {
            need(4);
            long v = ClientPacketDecoder.u32(b, at);
            at += 4;
            return v;
        }

        void skip(int n) throws RdgProtocolException {
            need(n);
            at += n;
        }

        byte[] bytes(int n) throws RdgProtocolException {
            need(n);
            byte[] copy = new byte[n];
            System.arraycopy(b, at, copy, 0, n);
            at += n;
            return copy;
        }

        /** A 16-bit byte length, then UTF-16LE, usually with a terminating NUL (dropped). */
        String utf16() throws RdgProtocolException {
            int n = u16();
            if (n % 2 != 0 || n > MAX_STRING_BYTES) {
                throw new RdgProtocolException(Reason.MALFORMED, "string field of odd or excessive length");
            }
            need(n);
            String s = new String(b, at, n, StandardCharsets.UTF_16LE);
            at += n;
            int cut = s.length();
            while (cut > 0 && s.charAt(cut - 1) == '\0') {
                cut--;
            }
            return s.substring(0, cut);
        }

        void expectEnd() throws RdgProtocolException {
            if (at != end) {
                throw new RdgProtocolException(Reason.MALFORMED, "packet longer than its fields");
            }
        }
    }
}
