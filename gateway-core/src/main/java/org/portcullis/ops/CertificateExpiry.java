package org.portcullis.ops;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.ListenerConfig;

/**
 * Seconds left on each TLS listener's certificate (the first of its file, the server's own), tagged with the file's
 * name only. The file is read again when it changed (a renewed certificate is picked up by the next scrape, as the
 * listeners pick it up at the reload); an unreadable file gives no row, so an alert on the series' absence fires.
 */
final class CertificateExpiry {
    private record Read(long modified, long notAfterMillis) { }

    private final Clock clock;
    private final Map<Path, Read> cache = new ConcurrentHashMap<>();

    CertificateExpiry(Clock clock) {
        this.clock = clock;
    }

    List<MultiGauge.Row<?>> rows(GatewayConfig config) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ListenerConfig listener : config.server().listeners()) {
            if (!listener.isTls()) {
                continue;
            }
            Path file = listener.tls().certificate();
            Read read = read(file);
            if (read != null) {
                long notAfter = read.notAfterMillis();
                rows.add(MultiGauge.Row.of(Tags.of("certificate", String.valueOf(file.getFileName())),
                        () -> (notAfter - clock.millis()) / 1000.0));
            }
        }
        return rows;
    }

    private Read read(Path file) {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            Read cached = cache.get(file);
            if (cached != null && cached.modified() == modified) {
                return cached;
            }
            try (InputStream in = Files.newInputStream(file)) {
                X509Certificate first = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificates(in).iterator().next();
                Read fresh = new Read(modified, first.getNotAfter().getTime());
                cache.put(file, fresh);
                return fresh;
            }
        } catch (Exception e) {
            cache.remove(file);
            return null;
        }
    }
}
