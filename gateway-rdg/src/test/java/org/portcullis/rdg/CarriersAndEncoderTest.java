package org.portcullis.rdg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.portcullis.rdg.RdgProtocolException.Reason;

class CarriersAndEncoderTest {

    @Test
    void chunkedStreamUnwrapsChunksAsTheyArrive() throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ChunkedStream chunks = new ChunkedStream((b, o, l) -> got.write(b, o, l));
        byte[] wire = "3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (byte b : wire) {
            chunks.decode(new byte[] {b}, 0, 1);
        }
        assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("abc0123456789");
        assertThat(chunks.ended()).isTrue();
    }

    @Test
    void chunkedStreamRefusesExtensionsHugeSizesAndBadFraming() {
        for (String wire : new String[] {"3;x=y\r\nabc\r\n", "FFFFFFF\r\n", "3\r\nabcX\r\n", "\r\n", "-1\r\n",
                "3\nabc\r\n"}) {
            ChunkedStream chunks = new ChunkedStream((b, o, l) -> { });
            byte[] bytes = wire.getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> chunks.decode(bytes, 0, bytes.length)).as(wire)
                    .isInstanceOf(RdgProtocolException.class);
        }
        ChunkedStream big = new ChunkedStream((b, o, l) -> { });
        byte[] bytes = (Integer.toHexString(ChunkedStream.MAX_CHUNK + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> big.decode(bytes, 0, bytes.length))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    }

    @Test
    void webSocketFramesAreUnmaskedAndControlFramesHandled() throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteArrayOutputStream pings = new ByteArrayOutputStream();
        boolean[] closed = {false};
        WebSocketFrames frames = new WebSocketFrames((b, o, l) -> got.write(b, o, l), new WebSocketFrames.Control() {
            public void ping(byte[] payload) {
                pings.writeBytes(payload);
            }

            public void close() {
                closed[0] = true;
            }
        });
        byte[] mask = {1, 2, 3, 4};
        byte[] wire = Packets.concat(masked(0x82, "hello".getBytes(), mask), masked(0x89, "p".getBytes(), mask),
                masked(0x82, new byte[300], mask), masked(0x88, new byte[] {3, (byte) 0xE8}, mask));
        for (byte b : wire) {
            frames.decode(new byte[] {b}, 0, 1);
        }
        assertThat(got.size()).isEqualTo(305);
        assertThat(new String(got.toByteArray(), 0, 5)).isEqualTo("hello");
        assertThat(pings.toString()).isEqualTo("p");
        assertThat(closed[0]).isTrue();
    }

    @Test
    void webSocketRefusesUnmaskedTextAndHugeFrames() {
        WebSocketFrames.Control none = new WebSocketFrames.Control() {
            public void ping(byte[] payload) {
            }

            public void close() {
            }
        };
        byte[][] bad = {{(byte) 0x82, 0x01, 0x00}, {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, 0},
                {(byte) 0x82, (byte) 0xFF, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF}};
        for (byte[] wire : bad) {
            WebSocketFrames frames = new WebSocketFrames((b, o, l) -> { }, none);
            assertThatThrownBy(() -> frames.decode(wire, 0, wire.length)).isInstanceOf(RdgProtocolException.class);
        }
    }

    @Test
    void serverPacketsHaveTheLayoutFreeRdpReads() {
        byte[] hs = ServerPackets.handshakeResponse(0);
        assertThat(hs).hasSize(18);
        assertThat(hs[0]).isEqualTo((byte) 2);
        assertThat(ClientPacketDecoder.u32(hs, 4)).isEqualTo(18);
        assertThat(ClientPacketDecoder.u16(hs, 16)).isEqualTo(ErrorCodes.EXTENDED_AUTH_PAA);

        byte[] refused = ServerPackets.tunnelResponse(ErrorCodes.E_PROXY_COOKIE_AUTHENTICATION_ACCESS_DENIED, 0, null);
        assertThat(refused).hasSize(18);
        assertThat(ClientPacketDecoder.u32(refused, 10)).isEqualTo(0x800759F8L);

        byte[] consent = ServerPackets.tunnelResponse(0, 7, "OK?");
        int fields = ClientPacketDecoder.u16(consent, 14);
        assertThat(fields).isEqualTo(0x13);
        assertThat(ClientPacketDecoder.u32(consent, 4)).isEqualTo(consent.length);
        assertThat(ClientPacketDecoder.u16(consent, 26)).isEqualTo(8);

        byte[] data = ServerPackets.data(new byte[] {5, 6}, 0, 2);
        assertThat(data).containsExactly(0xA, 0, 0, 0, 12, 0, 0, 0, 2, 0, 5, 6);
        assertThat(ServerPackets.closeChannel(0)).containsExactly(0x10, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0);
        assertThat(WebSocketFrames.binary(new byte[200])).startsWith((byte) 0x82, (byte) 126, (byte) 0, (byte) 200);
    }

    static byte[] masked(int b0, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        }
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }
}
