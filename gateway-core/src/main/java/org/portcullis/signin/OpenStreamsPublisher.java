package org.portcullis.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.portcullis.storage.StorageExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store's {@link OpenStreamsTable} in step with the gateway's {@link LiveStreams}: a row when a stream
 * opens, gone when it ends, byte counts every {@link #TICK}, and an empty table at start. The writes run in order on
 * one storage thread of their own, never on an event loop; a write that fails is logged and the next tick rewrites
 * the counts (the table is what admins see, not what decides anything).
 */
public final class OpenStreamsPublisher implements StreamEvents, AutoCloseable {
    static final Duration TICK = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(OpenStreamsPublisher.class);

    private final OpenStreamsTable table;
    private final StorageExecutor writer = new StorageExecutor(1, 4096);
    private final ScheduledExecutorService timer;

    /** Empties the table: what a previous run left there is no longer open. */
    public OpenStreamsPublisher(OpenStreamsTable table) {
        this.table = Objects.requireNonNull(table, "table");
        table.clear();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "portcullis-open-streams");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes {@code streams}' byte counts every {@link #TICK} from now on. */
    public void countEvery(Supplier<List<LiveStreams.Stream>> streams) {
        Objects.requireNonNull(streams, "streams");
        timer.scheduleWithFixedDelay(() -> submit(() -> table.updateBytes(
                        streams.get().stream().map(OpenStreamsPublisher::row).toList())),
                TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void opened(LiveStreams.Stream stream) {
        OpenStreamsTable.Row row = row(stream);
        submit(() -> table.insert(row));
    }

    @Override
    public void closed(LiveStreams.Stream stream, StreamCloseReason reason, Instant closedAt) {
        long number = stream.number();
        submit(() -> table.delete(number));
    }

    static OpenStreamsTable.Row row(LiveStreams.Stream stream) {
        LiveStreams.Entry entry = stream.entry();
        return new OpenStreamsTable.Row(stream.number(), entry.session().displayId(), entry.user(), entry.kind().code(),
                Objects.toString(entry.target(), ""), Objects.toString(entry.route(), ""),
                Objects.toString(entry.source(), ""), String.join(",", entry.factorNames()), entry.openedAt(),
                stream.bytesFromClient(), stream.bytesToClient());
    }

    private void submit(Runnable write) {
        writer.submit(() -> {
            write.run();
            return null;
        }).exceptionally(error -> {
            LOG.warn("open streams table not updated: {}", error.toString());
            return null;
        });
    }

    /** Stops the tick; the queued writes finish (the deletes of streams cut at shutdown among them). */
    @Override
    public void close() {
        timer.shutdownNow();
        writer.close();
    }
}
