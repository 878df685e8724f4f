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

    /** The latency buckets, from a fast bypass to an upstream at its response timeout. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};

    private record Series(String route, String decision, String outcome, int status) { }

    private final MeterRegistry registry;
    private final Map<Series, Counter> counters = new ConcurrentHashMap<>();
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
        counter(new Series(routeTag, decision, outcome == null ? NO_ROUTE : outcome, status)).increment();
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

    private Counter counter(Series series) {
        Counter counter = counters.get(series);
        if (counter != null) {
            return counter;
        }
        Series kept = counters.size() < MAX_SERIES ? series
                : new Series(OTHER, series.decision(), OTHER, series.status());
        return counters.computeIfAbsent(kept, s -> Counter.builder("portcullis.requests")
                .description("Requests answered, by route, decision, outcome code and status")
                .tag("route", s.route()).tag("decision", s.decision()).tag("outcome", s.outcome())
                .tag("status", Integer.toString(s.status())).register(registry));
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
