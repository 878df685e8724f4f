package org.portcullis.rdg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.rdg.Packets.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.rdg.RdgProtocolException.Reason;

class ClientPacketDecoderTest {

    private static List<ClientPacket> decodeAll(ClientPacketDecoder decoder, byte[] bytes) throws Exception {
        return decoder.decode(bytes, 0, bytes.length);
    }

    @Test
    void readsTheWholeExchangeInOrderEvenOneByteAtATime() throws Exception {
        byte[] all = concat(handshake(), tunnelCreate("token-abc"), tunnelAuth("clinic-pc"),
                channelCreate("ignored.example", 3389), data(new byte[] {9, 8, 7}), packet(0xD, new byte[0]),
                packet(0x10, new byte[] {0, 0, 0, 0}));
        ClientPacketDecoder decoder = new ClientPacketDecoder();
        List<ClientPacket> packets = new ArrayList<>();
        for (byte b : all) {
            packets.addAll(decoder.decode(new byte[] {b}, 0, 1));
        }
        decoder.endOfStream();
        assertThat(packets).hasSize(7);
        assertThat(packets.get(0)).isEqualTo(new ClientPacket.HandshakeRequest(1, 0, 0, 2));
        assertThat(((ClientPacket.TunnelCreate) packets.get(1)).paaCookie()).isEqualTo("token-abc");
        assertThat(packets.get(1).toString()).doesNotContain("token-abc");
        assertThat(packets.get(2)).isEqualTo(new ClientPacket.TunnelAuth("clinic-pc"));
        ClientPacket.ChannelCreate channel = (ClientPacket.ChannelCreate) packets.get(3);
        assertThat(channel.resources()).containsExactly("ignored.example");
        assertThat(channel.port()).isEqualTo(3389);
        assertThat(((ClientPacket.Data) packets.get(4)).payload()).containsExactly(9, 8, 7);
        assertThat(packets.get(5)).isInstanceOf(ClientPacket.Keepalive.class);
        assertThat(packets.get(6)).isEqualTo(new ClientPacket.CloseChannel(0));
    }

    @Test
    void aHugeDeclaredLengthIsRefusedFromTheHeaderAlone() throws Exception {
        ClientPacketDecoder decoder = new ClientPacketDecoder();
        decodeAll(decoder, handshake());
        decodeAll(decoder, tunnelCreate("t"));
        decodeAll(decoder, tunnelAuth("pc"));
        decodeAll(decoder, channelCreate("h", 1));
        byte[] header = packet(0xA, 0xFFFFFFF0, new byte[0]);
        assertThatThrownBy(() -> decodeAll(decoder, header))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
        // a control packet is capped far lower than a data packet
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), packet(1, 5000, new byte[0])))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    }

    @Test
    void oversizedDataPacketJustAboveTheCapIsRefused() throws Exception {
        ClientPacketDecoder decoder = new ClientPacketDecoder();
        decodeAll(decoder, concat(handshake(), tunnelCreate("t"), tunnelAuth("pc"), channelCreate("h", 1)));
        assertThatThrownBy(() -> decodeAll(decoder, packet(0xA, ClientPacketDecoder.MAX_DATA_PACKET + 1, new byte[0])))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    }

    @Test
    void wrongOrderIsRefused() {
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), tunnelCreate("t")))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ORDER));
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), concat(handshake(), data(new byte[] {1}))))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ORDER));
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), concat(handshake(), handshake())))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ORDER));
    }

    @Test
    void unknownAndServerOnlyTypesAreRefused() {
        for (int type : new int[] {0, 2, 3, 5, 7, 9, 0xB, 0xC, 0xE, 0x12, 0xFFFF}) {
            assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), packet(type, new byte[0])))
                    .isInstanceOfSatisfying(RdgProtocolException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE));
        }
    }

    @Test
    void truncatedPacketsAreRefused() throws Exception {
        // declared length shorter than the header
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), packet(1, 4, new byte[0])))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
        // declared length shorter than the fields of the type
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), packet(1, new byte[] {1, 0})))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
        // stream ends inside a packet
        ClientPacketDecoder decoder = new ClientPacketDecoder();
        byte[] hs = handshake();
        assertThat(decoder.decode(hs, 0, hs.length - 1)).isEmpty();
        assertThatThrownBy(decoder::endOfStream)
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    }

    @Test
    void fieldsThatDoNotFillTheDeclaredLengthAreRefused() {
        byte[] padded = packet(1, new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), padded))
                .isInstanceOfSatisfying(RdgProtocolException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        byte[] stringTooLong = concat(handshake(), packet(4, new byte[] {0, 0, 0, 0, 1, 0, 0, 0, (byte) 0xFE, 0x7F}));
        assertThatThrownBy(() -> decodeAll(new ClientPacketDecoder(), stringTooLong))
                .isInstanceOf(RdgProtocolException.class);
    }

    @Test
    void nothingIsTakenAfterAFailure() {
        ClientPacketDecoder decoder = new ClientPacketDecoder();
        assertThatThrownBy(() -> decodeAll(decoder, tunnelCreate("t"))).isInstanceOf(RdgProtocolException.class);
        assertThatThrownBy(() -> decodeAll(decoder, handshake())).isInstanceOf(RdgProtocolException.class);
    }
}
