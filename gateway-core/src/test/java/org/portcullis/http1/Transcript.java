package org.portcullis.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.portcullis.ingress.RequestRejected;

/**
 * Test helper: feeds raw bytes into a decoder and renders what came out as one line per message, with the body
 * pieces of a message joined, so that runs with different read boundaries can be compared. Releases everything.
 */
final class Transcript {
    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private final List<String> lines = new ArrayList<>();
    private StringBuilder body;

    /** Writes each piece as its own read and returns the rendered output. */
    static List<String> feed(EmbeddedChannel channel, List<String> pieces) {
        Transcript transcript = new Transcript();
        transcript.write(channel, pieces);
        return transcript.lines();
    }

    static List<String> feed(EmbeddedChannel channel, String... pieces) {
        return feed(channel, List.of(pieces));
    }

    /** Writes each piece as its own read, rendering what comes out. */
    void write(EmbeddedChannel channel, List<String> pieces) {
        for (String piece : pieces) {
            channel.writeInbound(bytes(piece));
            drain(channel);
        }
    }

    /** Closes the channel's input (decodeLast) and renders what comes out. */
    void close(EmbeddedChannel channel) {
        channel.finish();
        drain(channel);
    }

    List<String> lines() {
        return lines;
    }

    private void drain(EmbeddedChannel channel) {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            try {
                body = render(msg, lines, body);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private static StringBuilder render(Object msg, List<String> lines, StringBuilder body) {
        if (msg instanceof HttpMessage message) {
            lines.add(head(message));
            body = new StringBuilder();
        }
        if (msg instanceof HttpContent content) {
            if (body == null) {
                throw new AssertionError("content without a head: " + msg);
            }
            body.append(content.content().toString(StandardCharsets.ISO_8859_1));
            if (msg instanceof LastHttpContent) {
                lines.add("body[" + body + "]");
                body = null;
            }
        } else if (msg instanceof RequestRejected rejected) {
            lines.add("rejected " + rejected.reason());
        } else if (msg instanceof UpstreamProtocolError error) {
            lines.add("error " + error.reason());
        } else if (msg instanceof InterimResponse interim) {
            lines.add("interim " + interim.status().code() + headers(interim.headers()));
        } else if (msg instanceof ByteBuf raw) {
            lines.add("raw[" + raw.toString(StandardCharsets.ISO_8859_1) + "]");
        } else if (!(msg instanceof HttpMessage)) {
            throw new AssertionError("unexpected message " + msg);
        }
        return body;
    }

    private static String head(HttpMessage message) {
        if (message instanceof HttpRequest request) {
            return request.method() + " " + request.uri() + " " + request.protocolVersion() + headers(request.headers());
        }
        HttpResponse response = (HttpResponse) message;
        return response.protocolVersion() + " " + response.status().code() + headers(response.headers());
    }

    private static String headers(Iterable<Map.Entry<String, String>> headers) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> h : headers) {
            s.append(" {").append(h.getKey()).append('=').append(h.getValue()).append('}');
        }
        return s.toString();
    }

    /** The input cut into single bytes. */
    static List<String> singleBytes(String s) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            pieces.add(s.substring(i, i + 1));
        }
        return pieces;
    }
}
