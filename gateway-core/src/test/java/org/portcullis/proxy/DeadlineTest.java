package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one clock helper of both sides of an exchange, on an event loop whose ticker the test moves. */
class DeadlineTest {
    static final long TEN_SECONDS = Duration.ofSeconds(10).toNanos();

    final MockTicker ticker = Ticker.newMockTicker();
    final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    final AtomicInteger expired = new AtomicInteger();
    final Deadline deadline = new Deadline(channel.eventLoop(), expired::incrementAndGet);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Moves the clock and runs what is due; returns the nanos until the next scheduled task, or -1 for none. */
    long advance(Duration by) {
        ticker.advance(by.toNanos(), TimeUnit.NANOSECONDS);
        return channel.runScheduledPendingTasks();
    }

    @Test
    void startedDeadlineExpiresOnceWhenItsTimeHasPassed() {
        deadline.start(TEN_SECONDS);

        advance(Duration.ofMillis(9999));
        assertThat(expired).hasValue(0);
        assertThat(deadline.running()).isTrue();

        long next = advance(Duration.ofMillis(1));
        assertThat(expired).hasValue(1);
        assertThat(deadline.running()).isFalse();
        assertThat(next).as("nothing left scheduled").isEqualTo(-1);

        advance(Duration.ofSeconds(60));
        assertThat(expired).hasValue(1);
    }

    @Test
    void pausedDeadlineNeverExpires() {
        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(5));

        deadline.pause();
        advance(Duration.ofSeconds(60));

        assertThat(expired).hasValue(0);
        assertThat(deadline.running()).isFalse();
    }

    @Test
    void startAfterPauseCountsFromTheNewStart() {
        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(8));
        deadline.pause();
        advance(Duration.ofSeconds(8));

        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(9));
        assertThat(expired).hasValue(0);
        advance(Duration.ofSeconds(1));
        assertThat(expired).hasValue(1);
    }

    @Test
    void stoppedDeadlineCancelsItsCheck() {
        deadline.start(TEN_SECONDS);

        deadline.stop();

        assertThat(advance(Duration.ZERO)).as("no check left scheduled").isEqualTo(-1);
        advance(Duration.ofSeconds(60));
        assertThat(expired).hasValue(0);
    }

    @Test
    void pauseKeepsTheCheckScheduledButItFindsNothingToDo() {
        deadline.start(TEN_SECONDS);
        deadline.pause();

        assertThat(advance(Duration.ZERO)).as("the check stays (cheaper than cancelling)").isPositive();
        assertThat(advance(Duration.ofSeconds(10))).isEqualTo(-1);
        assertThat(expired).hasValue(0);
    }

    @Test
    void movedLaterExpiresAtTheNewTimeWithoutANewTaskUntilTheOldOneRuns() {
        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(6));

        deadline.start(TEN_SECONDS);
        assertThat(advance(Duration.ZERO)).as("still the first check, due in 4s")
                .isEqualTo(Duration.ofSeconds(4).toNanos());

        assertThat(advance(Duration.ofSeconds(4))).as("the first check found 6s left and scheduled itself again")
                .isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThat(expired).hasValue(0);
        advance(Duration.ofMillis(5999));
        assertThat(expired).hasValue(0);
        advance(Duration.ofMillis(1));
        assertThat(expired).hasValue(1);
    }

    @Test
    void movedEarlierExpiresAtTheEarlierTimeAndOnlyOnce() {
        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(1));

        deadline.start(Duration.ofSeconds(2).toNanos());
        advance(Duration.ofMillis(1999));
        assertThat(expired).hasValue(0);
        advance(Duration.ofMillis(1));
        assertThat(expired).hasValue(1);

        advance(Duration.ofSeconds(20));
        assertThat(expired).as("the replaced later check does not fire").hasValue(1);
    }

    @Test
    void expiredDeadlineCanBeStartedAgain() {
        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(10));

        deadline.start(TEN_SECONDS);
        advance(Duration.ofSeconds(10));

        assertThat(expired).hasValue(2);
    }
}
