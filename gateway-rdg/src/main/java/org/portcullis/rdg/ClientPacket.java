package org.portcullis.rdg;

import java.util.List;
import java.util.Objects;

/** A packet a client sends the gateway, as {@link ClientPacketDecoder} reads it. */
public sealed interface ClientPacket {

    /** HTTP_HANDSHAKE_REQUEST_PACKET: the first packet of a tunnel. */
    record HandshakeRequest(int versionMajor, int versionMinor, int clientVersion, int extendedAuth)
            implements ClientPacket {
    }

    /**
     * HTTP_TUNNEL_PACKET: asks for a tunnel. {@code paaCookie} is the access token the client was given (the
     * {@code gatewayaccesstoken} of its .rdp file), or null when it sent none.
     */
    record TunnelCreate(int capabilities, String paaCookie) implements ClientPacket {
        @Override
        public String toString() {
            return "TunnelCreate[capabilities=" + capabilities + ", paaCookie=" + (paaCookie == null ? "none" : "***")
                    + "]";
        }
    }

    /** HTTP_TUNNEL_AUTH_PACKET: the client's machine name. */
    record TunnelAuth(String clientName) implements ClientPacket {
        public TunnelAuth {
            Objects.requireNonNull(clientName, "clientName");
        }
    }

    /** HTTP_CHANNEL_PACKET: the host and port the client asks for (the gateway never takes them as the target). */
    record ChannelCreate(List<String> resources, List<String> alternativeResources, int port, int protocol)
            implements ClientPacket {
        public ChannelCreate {
            resources = List.copyOf(resources);
            alternativeResources = List.copyOf(alternativeResources);
        }
    }

    /** HTTP_DATA_PACKET: RDP bytes for the host, relayed as they are. */
    record Data(byte[] payload) implements ClientPacket {
        public Data {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** HTTP_KEEPALIVE_PACKET. */
    record Keepalive() implements ClientPacket {
    }

    /** HTTP_CLOSE_PACKET sent by the client: it ends the channel. */
    record CloseChannel(int status) implements ClientPacket {
    }

    /** The client's answer to the gateway's HTTP_CLOSE_PACKET. */
    record CloseChannelResponse(int status) implements ClientPacket {
    }
}
