package org.portcullis.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.portcullis.audit.AuditSink;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.RouteConfig;
import org.portcullis.pool.UpstreamKey;
import org.portcullis.pool.UpstreamPool;
import org.portcullis.pool.UpstreamPools;
import org.portcullis.proxy.AccessLog;
import org.portcullis.signin.LiveStreams;
import org.portcullis.signin.StreamKind;
import org.portcullis.directory.DirectoryObserver;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreObserver;

/**
 * Every metric of the gateway, in one Prometheus registry scraped by the admin listener's {@code /metrics}
 * (docs/operations.md lists them). Events are counted where they already flow: {@link #requests()} is the request
 * journal's observer, {@link #metered(AuditSink)} wraps the audit sink (sign-ins, factors, lockouts, reloads), and
 * {@link #store()} is told of every store call. Levels (open sessions, open streams, pool use, certificate expiry,
 * dropped log lines, JVM and Netty memory) are read when scraped, never on the request path.
 */
public final class GatewayMetrics implements AutoCloseable {
    private static final Duration[] STORE_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final AuditMetrics audit = new AuditMetrics(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Timer storeReads;
    private final Timer storeWrites;
    private final Counter storeReadErrors;
    private final Counter storeWriteErrors;
    private final MultiGauge poolOpen;
    private final MultiGauge poolMax;
    private final MultiGauge certificates;
    private final List<Runnable> beforeScrape = new ArrayList<>();
    private final java.util.Set<UpstreamPool> countedPools = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public GatewayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge.builder("portcullis.netty.allocator.used", provider, p -> p.metric().usedHeapMemory())
                    .description("Memory Netty's buffer allocator holds").baseUnit("bytes").tag("memory", "heap")
                    .register(registry);
            Gauge.builder("portcullis.netty.allocator.used", provider, p -> p.metric().usedDirectMemory())
                    .description("Memory Netty's buffer allocator holds").baseUnit("bytes").tag("memory", "direct")
                    .register(registry);
        }
        Gauge.builder("portcullis.netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                .description("Direct memory Netty holds (buffers of every allocator)").baseUnit("bytes")
                .register(registry);
        storeReads = storeTimer("read");
        storeWrites = storeTimer("write");
        storeReadErrors = storeErrors("read");
        storeWriteErrors = storeErrors("write");
        poolOpen = MultiGauge.builder("portcullis.upstream.connections.open")
                .description("Upstream connections open now, busy or idle, per route's upstream").register(registry);
        poolMax = MultiGauge.builder("portcullis.upstream.connections.max")
                .description("The most upstream connections the pool opens at once").register(registry);
        certificates = MultiGauge.builder("portcullis.certificate.expiry").baseUnit("seconds")
                .description("Seconds until the listener certificate's notAfter (negative once expired)")
                .register(registry);
    }

    private Timer storeTimer(String operation) {
        return Timer.builder("portcullis.store.operations").description("Calls of the local store")
                .tag("operation", operation).serviceLevelObjectives(STORE_BUCKETS).register(registry);
    }

    private Counter storeErrors(String operation) {
        return Counter.builder("portcullis.store.errors").description("Calls of the local store that failed")
                .tag("operation", operation).register(registry);
    }

    /** The request journal's observer: requests by route, outcome and status, latency, requests in flight. */
    public RequestMetrics requests() {
        return requests;
    }

    /** {@code sink}, with sign-ins, factors, lockouts, reloads and remote streams counted on their way in. */
    public AuditSink metered(AuditSink sink) {
        return new MeteringAuditSink(sink, audit);
    }

    /** Told of every store call: latency and errors by operation. */
    public StoreObserver store() {
        return (write, nanos, failed) -> {
            (write ? storeWrites : storeReads).record(nanos, TimeUnit.NANOSECONDS);
            if (failed) {
                (write ? storeWriteErrors : storeReadErrors).increment();
            }
        };
    }

    /** Told of every question asked of the directory ({@code users.ldap}): latency and errors by operation. */
    public DirectoryObserver directory() {
        return (operation, nanos, failed) -> {
            Timer.builder("portcullis.directory.requests").description("Questions asked of the user directory")
                    .tag("operation", operation).register(registry).record(nanos, TimeUnit.NANOSECONDS);
            if (failed) {
                Counter.builder("portcullis.directory.errors")
                        .description("Questions the user directory could not answer (down, timed out, TLS refused)")
                        .tag("operation", operation).register(registry).increment();
            }
        };
    }

    /** Dropped access-log lines and audit events; read when scraped. */
    public void watchLogs(AccessLog accessLog, AuditSink auditSink) {
        FunctionCounter.builder("portcullis.access.log.dropped", accessLog, AccessLog::dropped)
                .description("Access-log lines not written (queue full or write failed)").register(registry);
        FunctionCounter.builder("portcullis.audit.dropped", auditSink, AuditSink::dropped)
                .description("Audit events not written (queue full or after close)").register(registry);
    }

    /**
     * Upstream connect errors and pool use, per pool, tagged with the name of the first route (in config order) that
     * uses it, never its address; pools made by later reloads appear at the next scrape.
     */
    public void watchPools(UpstreamPools pools, Supplier<GatewayConfig> config) {
        beforeScrape.add(() -> {
            List<MultiGauge.Row<?>> open = new ArrayList<>();
            List<MultiGauge.Row<?>> max = new ArrayList<>();
            java.util.Map<UpstreamKey, String> names = new java.util.HashMap<>();
            for (RouteConfig route : config.get().routes()) {
                if (route.upstream() != null) {
                    names.putIfAbsent(UpstreamKey.of(route), route.name());
                }
            }
            for (UpstreamPool pool : pools.all()) {
                String name = names.get(pool.key());
                if (name == null) {
                    continue; // no route uses it any more
                }
                Tags tags = Tags.of("route", name);
                open.add(MultiGauge.Row.of(tags, pool, UpstreamPool::openConnections));
                max.add(MultiGauge.Row.of(tags, pool, UpstreamPool::maxConnections));
                if (countedPools.add(pool)) {
                    FunctionCounter.builder("portcullis.upstream.connect.errors", pool, UpstreamPool::connectFailures)
                            .description("Upstream connections that could not be made (refused, timed out, TLS)")
                            .tags(tags).register(registry);
                }
            }
            poolOpen.register(open, true);
            poolMax.register(max, true);
        });
    }

    /** Seconds left on each TLS listener's certificate, read from the files of the config served now. */
    public void watchCertificates(Supplier<GatewayConfig> config, Clock clock) {
        CertificateExpiry expiry = new CertificateExpiry(clock);
        beforeScrape.add(() -> certificates.register(expiry.rows(config.get()), true));
    }

    /** Open sessions (counted in the store when scraped) and open remote streams by kind. */
    public void watchSessions(Database storage, Optional<LiveStreams> streams, Clock clock) {
        Gauge.builder("portcullis.sessions.open", () -> OpenSessions.count(storage, clock))
                .description("Sessions in the store that have not expired").register(registry);
        streams.ifPresent(live -> {
            for (StreamKind kind : StreamKind.values()) {
                Gauge.builder("portcullis.remote.connections.open", live,
                                l -> l.entries().stream().filter(e -> e.kind() == kind).count())
                        .description("WebSocket and remote-access streams open now").tag("kind", kind.code())
                        .register(registry);
            }
        });
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        synchronized (beforeScrape) {
            beforeScrape.forEach(Runnable::run);
        }
        return registry.scrape();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
