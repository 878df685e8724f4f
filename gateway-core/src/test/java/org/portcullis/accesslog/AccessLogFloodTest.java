package org.portcullis.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.AccessLogConfig;
import org.portcullis.config.AuditConfig;
import org.slf4j.LoggerFactory;

/**
 * Issue 21: nothing lost silently. Several threads (as event loops would) offer far more lines than the queue holds,
 * as fast as they can; none of them blocks, and afterwards every line offered is either in the file or counted as
 * dropped, and the drops were reported as "access log dropped N lines in the last second", the reported Ns adding up
 * to the count.
 */
@Timeout(60)
class AccessLogFloodTest {
    private static final Pattern REPORT = Pattern.compile("access log dropped (\\d+) lines in the last second");
    private static final int THREADS = 4;
    private static final int LINES_PER_THREAD = 50_000;
    private static final int CAPACITY = 256;

    @TempDir
    Path dir;

    @Test
    void writtenPlusDroppedIsEveryLineOfferedAndTheDropsAreReported() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLogWriter.class);
        ListAppender<ILoggingEvent> reports = new ListAppender<>();
        reports.start();
        logger.addAppender(reports);
        try {
            AccessLogConfig config = new AccessLogConfig(true, dir.resolve("access.log"),
                    AccessLogConfig.Format.TEXT, AuditConfig.Rotation.NEVER, 0);
            AccessLogWriter writer = new AccessLogWriter(RotatingFileOutput.open(config), config.format(),
                    Clock.systemUTC(), System::nanoTime, CAPACITY);
            writer.start();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> loops = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String client = "192.0.2." + t;
                Thread loop = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < LINES_PER_THREAD; i++) {
                        writer.record("r" + i, client, "GET", "app.test", "/flood", 200, "app", "open", "FORWARDED",
                                i);
                    }
                }, "flood-" + t);
                loop.start();
                loops.add(loop);
            }
            go.countDown();
            for (Thread loop : loops) {
                loop.join();
            }
            writer.close();

            long offered = (long) THREADS * LINES_PER_THREAD;
            long inFile;
            try (var lines = Files.lines(dir.resolve("access.log"))) {
                inFile = lines.count();
            }
            assertThat(writer.dropped()).as("the flood overflowed the queue").isPositive();
            assertThat(writer.written()).as("lines the writer says it wrote are in the file").isEqualTo(inFile);
            assertThat(writer.written() + writer.dropped()).as("written + dropped = offered").isEqualTo(offered);

            long reported = 0;
            for (ILoggingEvent event : reports.list) {
                Matcher m = REPORT.matcher(event.getFormattedMessage());
                if (m.matches()) {
                    reported += Long.parseLong(m.group(1));
                }
            }
            assertThat(reported).as("every dropped line was reported").isEqualTo(writer.dropped());
        } finally {
            logger.detachAppender(reports);
        }
    }
}
