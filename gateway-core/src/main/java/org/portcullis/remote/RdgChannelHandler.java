package org.portcullis.remote;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import org.portcullis.admission.Admission;
import org.portcullis.rdg.ChunkedStream;
import org.portcullis.rdg.RdgProtocolException;
import org.portcullis.rdg.WebSocketFrames;

/**
 * One client connection of the RD Gateway endpoint, after it left HTTP. Three kinds:
 * <ul>
 *   <li>the HTTP transport's OUT channel ({@code RDG_OUT_DATA}): answered {@code 200} and ten seed bytes, without a
 *       length (MS-TSGU 3.3.5.1), then carries the gateway's packets raw; it waits for its IN channel;</li>
 *   <li>its IN channel ({@code RDG_IN_DATA}): answered {@code 200} with no body; the client then sends a second
 *       {@code RDG_IN_DATA} head with {@code Transfer-Encoding: chunked} whose body is its packets;</li>
 *   <li>the WebSocket transport ({@code RDG_OUT_DATA} with a WebSocket upgrade): {@code 101}, then packets in binary
 *       frames both ways.</li>
 * </ul>
 * Every framing error closes the connection (and its pair) before anything more is forwarded.
 */
final class RdgChannelHandler extends ChannelInboundHandlerAdapter {
    /** The second IN head is small (FreeRDP's is ~250 bytes): anything longer is refused. */
    static final int MAX_IN_HEAD = 4096;
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private enum Kind { OUT, IN, WEBSOCKET }

    private final RdgGateway gateway;
    private final Admission.RemoteDesktop admission;
    private final Kind kind;
    private final String connectionId;
    private ChannelHandlerContext ctx;
    private volatile RdgTunnel tunnel;
    private ChunkedStream chunks;
    private WebSocketFrames frames;
    private byte[] head;
    private int headFill;

    RdgChannelHandler(RdgGateway gateway, Admission.RemoteDesktop admission) {
        this.gateway = gateway;
        this.admission = admission;
        boolean out = admission.request().method().equals(Admission.RemoteDesktop.OUT_DATA);
        this.kind = !out ? Kind.IN : admission.request().websocketUpgrade() ? Kind.WEBSOCKET : Kind.OUT;
        String id = admission.request().headers().get("RDG-Connection-Id");
        this.connectionId = id == null ? "" : id.trim();
    }

    Channel channel() {
        return ctx.channel();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        switch (kind) {
            case OUT -> startOut();
            case IN -> startIn();
            case WEBSOCKET -> startWebSocket();
        }
    }

    private void startOut() {
        if (connectionId.isEmpty() || connectionId.length() > 64
                || !gateway.offerOut(RdgGateway.key(connectionId, ctx.channel()), this)) {
            refuseHttp(400);
            return;
        }
        byte[] seed = new byte[10];
        gateway.random.nextBytes(seed);
        ctx.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nCache-Control: no-store\r\n\r\n"));
        ctx.writeAndFlush(Unpooled.wrappedBuffer(seed));
    }

    private void startIn() {
        RdgChannelHandler out = connectionId.isEmpty() ? null
                : gateway.takeOut(RdgGateway.key(connectionId, ctx.channel()));
        if (out == null || !out.channel().isActive()) {
            refuseHttp(400);
            return;
        }
        tunnel = new RdgTunnel(gateway, admission, ctx.channel(), out.channel(), false);
        out.tunnel = tunnel;
        head = new byte[MAX_IN_HEAD];
        ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nCache-Control: no-store\r\n\r\n"));
        tunnel.start();
    }

    private void startWebSocket() {
        String key = admission.request().headers().get("Sec-WebSocket-Key");
        tunnel = new RdgTunnel(gateway, admission, ctx.channel(), ctx.channel(), true);
        frames = new WebSocketFrames(tunnel::fromClient, new WebSocketFrames.Control() {
            @Override
            public void ping(byte[] payload) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(WebSocketFrames.pong(payload)));
            }

            @Override
            public void close() {
                tunnel.end("client_closed");
            }
        });
        ctx.writeAndFlush(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key.trim()) + "\r\n\r\n"));
        tunnel.start();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (msg instanceof HttpContent content) {
                // What the decoder still had of the admitted request: its empty end. Anything more is a body.
                if (content.content().isReadable()) {
                    fail("request body on an RDG request");
                }
                return;
            }
            if (!(msg instanceof ByteBuf buf)) {
                fail("unexpected message");
                return;
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            switch (kind) {
                case OUT -> fail("bytes on the OUT channel");
                case IN -> readIn(bytes, 0, bytes.length);
                case WEBSOCKET -> frames.decode(bytes, 0, bytes.length);
            }
        } catch (RdgProtocolException e) {
            tunnel.protocolError(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void readIn(byte[] bytes, int offset, int length) throws RdgProtocolException {
        if (tunnel == null) {
            fail("no tunnel");
            return;
        }
        if (chunks != null) {
            chunks.decode(bytes, offset, length);
            if (chunks.ended()) {
                tunnel.end("client_closed");
            }
            return;
        }
        for (int i = 0; i < length; i++) {
            if (headFill == head.length) {
                throw new RdgProtocolException(RdgProtocolException.Reason.OVERSIZED, "IN head too long");
            }
            head[headFill++] = bytes[offset + i];
            if (headFill >= 4 && head[headFill - 4] == '\r' && head[headFill - 3] == '\n'
                    && head[headFill - 2] == '\r' && head[headFill - 1] == '\n') {
                checkInHead(new String(head, 0, headFill, StandardCharsets.ISO_8859_1));
                head = null;
                chunks = new ChunkedStream(tunnel::fromClient);
                readIn(bytes, offset + i + 1, length - i - 1);
                return;
            }
        }
    }

    /** The IN channel's second head: the same method, path and connection, a chunked body and nothing else odd. */
    private void checkInHead(String text) throws RdgProtocolException {
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        if (!lines[0].equals(Admission.RemoteDesktop.IN_DATA + " " + Admission.RemoteDesktop.PATH + " HTTP/1.1")) {
            throw new RdgProtocolException(RdgProtocolException.Reason.MALFORMED, "bad IN request line");
        }
        boolean chunked = false;
        boolean sameConnection = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw new RdgProtocolException(RdgProtocolException.Reason.MALFORMED, "bad IN header");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                if (chunked || !value.equalsIgnoreCase("chunked")) {
                    throw new RdgProtocolException(RdgProtocolException.Reason.MALFORMED, "bad Transfer-Encoding");
                }
                chunked = true;
            } else if (name.equals("content-length")) {
                throw new RdgProtocolException(RdgProtocolException.Reason.MALFORMED, "Content-Length on IN body");
            } else if (name.equals("rdg-connection-id")) {
                sameConnection = value.equals(connectionId);
            }
        }
        if (!chunked || !sameConnection) {
            throw new RdgProtocolException(RdgProtocolException.Reason.MALFORMED, "IN body not chunked");
        }
    }

    void outWritable() {
        if (tunnel != null) {
            tunnel.clientWritable();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            outWritable();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (tunnel != null) {
            tunnel.clientChannelClosed();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (tunnel != null) {
            tunnel.end("connection_error");
        }
        context.close();
    }

    private void fail(String why) {
        if (tunnel != null) {
            tunnel.protocolError(new RdgProtocolException(RdgProtocolException.Reason.MALFORMED, why));
        } else {
            ctx.close();
        }
    }

    private void refuseHttp(int status) {
        ctx.writeAndFlush(ascii("HTTP/1.1 " + status + " Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
