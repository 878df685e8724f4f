package org.portcullis.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.portcullis.proxy.RequestObserver;

/**
 * Requests by route, decision, outcome and status ({@code portcullis_requests_total}), their latency per route
 * ({@code portcullis_request_duration_seconds}, fixed buckets) and the requests in flight (which the graceful
 * shutdown waits for). The meters of a combination are made once and then found in a map, so a request costs a map
 * lookup, a counter increment and a histogram record: no string is built. Tags are bounded: route names come from
 * the config, decisions and outcomes from closed sets of codes, statuses from 100 to 599; past
 * {@link #MAX_SERIES} combinations (a config with very many routes), new ones are counted under {@code other}.
 */
public final class RequestMetrics implements RequestObserver {
    static final int MAX_SERIES = 2_000;
    static final String NO_ROUTE = "none";
    static final String OTHER = "other";
    /** Three-digit statuses: the decoder passes 100-599 from upstreams, and the gateway answers no other. */
    private static final int STATUSES = 1000;

    /** The latency buckets, from a fast bypass to an upstream at its response timeout. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    /**
     * route → decision → outcome → counters by status. Nested maps keyed by the strings the request already has
     * (whose hashes the strings cache) rather than one map keyed by a combined key: a combined key is an object per
     * request, and this runs on the event loop for every request.
     */
    private final Map<String, Map<String, Map<String, AtomicReferenceArray<Counter>>>> counters =
            new ConcurrentHashMap<>();
    private final AtomicInteger series = new AtomicInteger();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("portcullis.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests received and not yet answered").register(registry);
    }

    @Override
    public void started() {
        inFlight.incrementAndGet();
    }

    @Override
    public void ended(String route, String decision, int status, String outcome, long micros) {
        inFlight.decrementAndGet();
        String routeTag = route == null ? NO_ROUTE : route;
        counter(routeTag, decision, outcome == null ? NO_ROUTE : outcome, status).increment();
        timer(routeTag).record(micros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void abandoned() {
        inFlight.decrementAndGet();
    }

    /** Requests received and not yet answered (nor abandoned). */
    public int inFlight() {
        return inFlight.get();
    }

    private Counter counter(String route, String decision, String outcome, int status) {
        int slot = Math.min(Math.max(status, 0), STATUSES - 1);
        AtomicReferenceArray<Counter> table = byStatus(route, decision, outcome);
        Counter counter = table.get(slot);
        if (counter != null) {
            return counter;
        }
        if (series.get() >= MAX_SERIES && !(OTHER.equals(route) && OTHER.equals(outcome))) {
            return counter(OTHER, decision, OTHER, slot);
        }
        Counter made = Counter.builder("portcullis.requests")
                .description("Requests answered, by route, decision, outcome code and status")
                .tag("route", route).tag("decision", decision).tag("outcome", outcome)
                .tag("status", Integer.toString(slot)).register(registry);
        if (table.compareAndSet(slot, null, made)) {
            series.incrementAndGet();
            return made;
        }
        return table.get(slot); // another loop made it first; the registry handed both the same meter
    }

    private AtomicReferenceArray<Counter> byStatus(String route, String decision, String outcome) {
        return counters.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(decision, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> new AtomicReferenceArray<>(STATUSES));
    }

    private Timer timer(String route) {
        Timer timer = timers.get(route);
        if (timer != null) {
            return timer;
        }
        String kept = timers.size() < MAX_SERIES ? route : OTHER;
        return timers.computeIfAbsent(kept, r -> Timer.builder("portcullis.request.duration")
                .description("Time from a request's head to the end of its answer")
                .tag("route", r).serviceLevelObjectives(BUCKETS).register(registry));
    }
}
