package org.portcullis.rdg;

/** The packet types of MS-TSGU 2.2.5.3 (HTTP_PACKET_HEADER.packetType). */
public final class PacketType {
    public static final int HANDSHAKE_REQUEST = 0x1;
    public static final int HANDSHAKE_RESPONSE = 0x2;
    public static final int EXTENDED_AUTH_MSG = 0x3;
    public static final int TUNNEL_CREATE = 0x4;
    public static final int TUNNEL_RESPONSE = 0x5;
    public static final int TUNNEL_AUTH = 0x6;
    public static final int TUNNEL_AUTH_RESPONSE = 0x7;
    public static final int CHANNEL_CREATE = 0x8;
    public static final int CHANNEL_RESPONSE = 0x9;
    public static final int DATA = 0xA;
    public static final int SERVICE_MESSAGE = 0xB;
    public static final int REAUTH_MESSAGE = 0xC;
    public static final int KEEPALIVE = 0xD;
    public static final int CLOSE_CHANNEL = 0x10;
    public static final int CLOSE_CHANNEL_RESPONSE = 0x11;

    /** Every packet starts with type (2), reserved (2) and the packet's whole length (4), little-endian. */
    public static final int HEADER_LENGTH = 8;

    private PacketType() {
    }
}
