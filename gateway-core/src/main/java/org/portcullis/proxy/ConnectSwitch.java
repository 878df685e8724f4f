package org.portcullis.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.portcullis.signin.LiveStreams;
import org.portcullis.tcp.TargetRelay;
import org.portcullis.tcp.TcpConnect;
import org.portcullis.tcp.WebSocketRelay;

/**
 * Turns a client connection whose connect tunnel was admitted, and its connected target, into a relay: the stream is
 * registered (so a cut from now on closes both), the HTTP handlers leave the client's pipeline for a WebSocket frame
 * decoder (masked frames only, RFC 6455 §5.1; no extensions; at most {@link #MAX_FRAME} bytes of payload), an
 * unmasking-free encoder and the {@link WebSocketRelay}; the 101 is written before any frame; then the target's
 * bytes flow.
 */
final class ConnectSwitch {
    /** The largest frame payload taken from a client; the command sends at most 16 KiB per frame. */
    static final int MAX_FRAME = 64 * 1024;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private ConnectSwitch() {
    }

    static void open(ChannelHandlerContext frontend, Channel target, TcpConnect connect, TcpConnect.Admitted admitted,
                     TargetRelay relay, String websocketKey) {
        Channel client = frontend.channel();
        LiveStreams.Stream stream = connect.register(admitted, client, target);
        ChannelPipeline pipeline = frontend.pipeline();
        pipeline.remove("response-encoder");
        client.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept(websocketKey) + "\r\n\r\n",
                StandardCharsets.US_ASCII));
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true)
                .allowMaskMismatch(false).allowExtensions(false).maxFramePayloadLength(MAX_FRAME)
                .closeOnProtocolViolation(true).build();
        pipeline.addAfter("request-decoder", "ws-decoder", new WebSocket13FrameDecoder(frames));
        pipeline.addAfter("ws-decoder", "ws-encoder", new WebSocket13FrameEncoder(false));
        pipeline.addLast("connect-relay", new WebSocketRelay(target, stream));
        pipeline.remove(frontend.handler());
        pipeline.remove("timeouts");
        pipeline.remove("request-decoder");
        client.config().setAutoRead(true);
        relay.attach(client, stream, target);
    }

    /** RFC 6455 §4.2.2: base64 of the SHA-1 of the key and the protocol's GUID. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("ConnectSwitch: SHA-1 missing", e);
        }
    }
}
