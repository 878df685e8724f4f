package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portcullis.ingress.RejectReason;
import org.portcullis.proxy.FrontendTimeoutHandler.FrontendTimeout;

/** The client clocks on a mock ticker: idle, slowloris head, stalled body, trickled body, and no clock while busy. */
class FrontendTimeoutHandlerTest {
    static final Duration IDLE = Duration.ofSeconds(60);
    static final Duration HEAD = Duration.ofSeconds(10);
    static final Duration BODY = Duration.ofSeconds(30);

    MockTicker ticker;
    FrontendTimeoutHandler timeouts;
    List<RejectReason> fired;
    EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        ticker = Ticker.newMockTicker();
        timeouts = new FrontendTimeoutHandler(IDLE, HEAD, BODY, 500);
        fired = new ArrayList<>();
        channel = EmbeddedChannel.builder().ticker(ticker).handlers(timeouts, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                fired.add(((FrontendTimeout) evt).reason());
            }
        }).build();
    }

    void advance(Duration by) {
        ticker.advance(by.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void idleConnectionClosesSilentlyAfterIdleTimeout() {
        advance(IDLE.minusSeconds(1));
        assertThat(channel.isActive()).isTrue();
        advance(Duration.ofSeconds(2));
        assertThat(channel.isActive()).isFalse();
        assertThat(fired).isEmpty();
    }

    @Test
    void slowlorisHeadTimesOutEvenWhileBytesKeepComing() {
        for (int second = 0; second < 9; second++) {
            send("G");
            advance(Duration.ofSeconds(1));
        }
        assertThat(fired).isEmpty();
        send("E");
        advance(Duration.ofSeconds(2));
        assertThat(fired).containsExactly(RejectReason.HEADER_READ_TIMEOUT);
    }

    @Test
    void stalledBodyTimesOutAfterBodyReadTimeout() {
        send("POST / HTTP/1.1\r\n\r\n");
        timeouts.headReceived(true);
        advance(BODY.minusSeconds(1));
        assertThat(fired).isEmpty();
        advance(Duration.ofSeconds(2));
        assertThat(fired).containsExactly(RejectReason.BODY_READ_TIMEOUT);
    }

    @Test
    void trickledBodyBelowMinimumRateIsCutOff() {
        send("POST / HTTP/1.1\r\n\r\n");
        timeouts.headReceived(true);
        // One byte every 20 s never hits the 30 s pause, but averages far below 500 B/s.
        for (int i = 0; i < 3 && fired.isEmpty(); i++) {
            advance(Duration.ofSeconds(20));
            send("x");
        }
        assertThat(fired).containsExactly(RejectReason.BODY_READ_TIMEOUT);
    }

    @Test
    void fastBodyIsNeverCutOff() {
        send("POST / HTTP/1.1\r\n\r\n");
        timeouts.headReceived(true);
        for (int i = 0; i < 60; i++) {
            advance(Duration.ofSeconds(1));
            send("x".repeat(1024));
        }
        assertThat(fired).isEmpty();
    }

    @Test
    void noClientClockRunsWhileTheUpstreamWorks() {
        send("GET / HTTP/1.1\r\n\r\n");
        timeouts.headReceived(false);
        advance(Duration.ofMinutes(10));
        assertThat(fired).isEmpty();
        assertThat(channel.isActive()).isTrue();
        timeouts.awaitingRequest();
        advance(IDLE.plusSeconds(1));
        assertThat(channel.isActive()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }
}
