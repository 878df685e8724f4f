package org.portcullis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.portcullis.audit.AccessDecision;
import org.portcullis.audit.AuditEvent;
import org.portcullis.audit.AuditSink;
import org.portcullis.config.LimitsConfig;
import org.portcullis.http1.Http1Limits;
import org.portcullis.http1.StrictHttpRequestDecoder;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.snapshot.GatewaySnapshot;

/**
 * One client connection of the gateway on an {@link EmbeddedChannel}, with the handlers
 * {@code GatewayPipelineInitializer} adds for a plain listener, in its order, built from the same snapshot values:
 * client clocks, strict decoder, response encoder, frontend. The event loop's clock is a mock ticker the test moves.
 * Raw bytes go in, encoded response bytes come out; the access-log lines and audit events of the connection are kept.
 */
final class ClientConnection implements AutoCloseable {
    final MockTicker ticker = Ticker.newMockTicker();
    final EmbeddedChannel channel;
    final RecordingAudit audit;
    private final AccessLog accessLog;
    private final Path accessFile;

    /** Keeps what the request path records. */
    static final class RecordingAudit implements AuditSink {
        final List<AuditEvent> events = new ArrayList<>();

        @Override
        public synchronized void record(AuditEvent event) {
            events.add(event);
        }

        synchronized List<AccessDecision> decisions() {
            return events.stream().filter(AccessDecision.class::isInstance).map(AccessDecision.class::cast).toList();
        }

        @Override
        public void close() {
        }
    }

    /** @param accessLog the access log {@code path} writes to, into {@code accessFile} (read by {@link #accessLog}) */
    ClientConnection(GatewaySnapshot snapshot, RequestPath path, RecordingAudit audit, AccessLog accessLog,
                     Path accessFile) {
        this.audit = audit;
        this.accessLog = accessLog;
        this.accessFile = accessFile;
        LimitsConfig limits = snapshot.config().limits();
        FrontendTimeoutHandler timeouts = new FrontendTimeoutHandler(limits.idleTimeout(), limits.headerReadTimeout(),
                limits.bodyReadTimeout(), limits.bodyMinBytesPerSecond());
        ConnectionInfo info = new ConnectionInfo(new InetSocketAddress("192.0.2.7", 50000), false, 8080,
                snapshot.config().server().trustedProxies());
        channel = EmbeddedChannel.builder().ticker(ticker).handlers(
                timeouts,
                new StrictHttpRequestDecoder(new Http1Limits(limits.maxRequestLineBytes(), limits.maxHeaderBytes(),
                        limits.maxHeaders(), snapshot.largestBodyLimit())),
                new HttpResponseEncoder(),
                new FrontendHandler(path, info, timeouts)).build();
    }

    /** Writes {@code text} as one read from the socket. */
    void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** Everything written to the client since the last call, as text. */
    String received() {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ByteBuf bytes = (ByteBuf) msg;
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return out.toString();
    }

    void advance(Duration by) {
        ticker.advance(by.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /**
     * The access-log lines of the connection; closes the log first, so every queued line is in the file (read it once,
     * at the end: lines recorded after it are dropped).
     */
    List<String> accessLog() {
        accessLog.close();
        try {
            return Files.exists(accessFile) ? Files.readAllLines(accessFile) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        accessLog.close();
    }
}
