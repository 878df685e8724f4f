package org.portcullis.rdg;

import java.nio.charset.StandardCharsets;

/** The packets the gateway sends a client (MS-TSGU 2.2.10), little-endian, each as one array. */
public final class ServerPackets {
    /** HTTP_TUNNEL_RESPONSE fieldsPresent bits. */
    static final int TUNNEL_RESPONSE_TUNNEL_ID = 0x1;
    static final int TUNNEL_RESPONSE_CAPS = 0x2;
    static final int TUNNEL_RESPONSE_CONSENT_MSG = 0x10;
    /** HTTP_CAPABILITY_MESSAGING_CONSENT_SIGN: the client must accept a consent message. */
    public static final int CAPABILITY_CONSENT = 0x4;
    /** HTTP_CAPABILITY_IDLE_TIMEOUT. */
    public static final int CAPABILITY_IDLE_TIMEOUT = 0x2;
    /** HTTP_TUNNEL_REDIR_DISABLE_ALL... the gateway does not restrict device redirection itself (host policy does). */
    public static final int REDIR_ENABLE_ALL = 0x80000000;
    /** Longest consent text sent (UTF-16 code units); config validation keeps texts below it. */
    public static final int MAX_CONSENT_CHARS = 1000;

    private ServerPackets() {
    }

    public static byte[] handshakeResponse(int errorCode) {
        Writer w = new Writer(PacketType.HANDSHAKE_RESPONSE, 18);
        w.u32(errorCode).u8(1).u8(0).u16(0).u16(ErrorCodes.EXTENDED_AUTH_PAA);
        return w.done();
    }

    /** @param consent a message the client must accept before the tunnel is used, or null */
    public static byte[] tunnelResponse(int errorCode, int tunnelId, String consent) {
        byte[] text = consent == null ? null : (consent + "\0").getBytes(StandardCharsets.UTF_16LE);
        int fields = errorCode == ErrorCodes.OK ? TUNNEL_RESPONSE_TUNNEL_ID | TUNNEL_RESPONSE_CAPS : 0;
        int caps = CAPABILITY_IDLE_TIMEOUT;
        if (text != null && errorCode == ErrorCodes.OK) {
            fields |= TUNNEL_RESPONSE_CONSENT_MSG;
            caps |= CAPABILITY_CONSENT;
        }
        int length = 8 + 10 + ((fields & TUNNEL_RESPONSE_TUNNEL_ID) != 0 ? 8 : 0)
                + ((fields & TUNNEL_RESPONSE_CONSENT_MSG) != 0 ? 2 + text.length : 0);
        Writer w = new Writer(PacketType.TUNNEL_RESPONSE, length);
        w.u16(0).u32(errorCode).u16(fields).u16(0);
        if ((fields & TUNNEL_RESPONSE_TUNNEL_ID) != 0) {
            w.u32(tunnelId).u32(caps);
        }
        if ((fields & TUNNEL_RESPONSE_CONSENT_MSG) != 0) {
            w.u16(text.length).bytes(text, 0, text.length);
        }
        return w.done();
    }

    /** @param idleTimeoutMinutes told to the client (0 = none); the gateway enforces it either way */
    public static byte[] tunnelAuthResponse(int errorCode, int idleTimeoutMinutes) {
        boolean ok = errorCode == ErrorCodes.OK;
        Writer w = new Writer(PacketType.TUNNEL_AUTH_RESPONSE, ok ? 8 + 8 + 8 : 8 + 8);
        w.u32(errorCode).u16(ok ? 0x3 : 0).u16(0);
        if (ok) {
            w.u32(REDIR_ENABLE_ALL).u32(idleTimeoutMinutes);
        }
        return w.done();
    }

    public static byte[] channelResponse(int errorCode, int channelId) {
        boolean ok = errorCode == ErrorCodes.OK;
        Writer w = new Writer(PacketType.CHANNEL_RESPONSE, ok ? 8 + 8 + 4 : 8 + 8);
        w.u32(errorCode).u16(ok ? 0x1 : 0).u16(0);
        if (ok) {
            w.u32(channelId);
        }
        return w.done();
    }

    /** One HTTP_DATA_PACKET around at most 65535 bytes of {@code src}. */
    public static byte[] data(byte[] src, int offset, int length) {
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("a data packet carries at most 65535 bytes");
        }
        Writer w = new Writer(PacketType.DATA, 8 + 2 + length);
        w.u16(length).bytes(src, offset, length);
        return w.done();
    }

    public static byte[] keepalive() {
        return new Writer(PacketType.KEEPALIVE, 8).done();
    }

    /** HTTP_CLOSE_PACKET: the gateway ends the channel; {@code status} says why (an HRESULT, 0 for a normal end). */
    public static byte[] closeChannel(int status) {
        Writer w = new Writer(PacketType.CLOSE_CHANNEL, 12);
        w.u32(status);
        return w.done();
    }

    public static byte[] closeChannelResponse(int status) {
        Writer w = new Writer(PacketType.CLOSE_CHANNEL_RESPONSE, 12);
        w.u32(status);
        return w.done();
    }

    private static final class Writer {
        private final byte[] out;
        private int at;

        Writer(int type, int length) {
            out = new byte[length];
            u16(type).u16(0).u32(length);
        }

        Writer u8(int v) {
            out[at++] = (byte) v;
            return this;
        }

        Writer u16(int v) {
            out[at++] = (byte) v;
            out[at++] = (byte) (v >>> 8);
            return this;
        }

        Writer u32(int v) {
            return u16(v & 0xFFFF).u16(v >>> 16);
        }

        Writer bytes(byte[] src, int offset, int length) {
            System.arraycopy(src, offset, out, at, length);
            at += length;
            return this;
        }

        byte[] done() {
            if (at != out.length) {
                throw new IllegalStateException("packet length mismatch");
            }
            return out;
        }
    }
}
