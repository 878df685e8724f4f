package org.portcullis.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.portcullis.config.AuditSyslogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a copy of every audit line to a syslog receiver ({@code audit.syslog}): RFC 5424 messages
 * ({@link SyslogMessage}) over TCP, optionally TLS (RFC 5425, the receiver's certificate and host name verified).
 *
 * <h2>Never in the way</h2>
 * The audit writer thread hands each line over with {@link #offer}, which never blocks: lines wait in a bounded queue
 * for this forwarder's own thread. When the queue is full (a slow or dead receiver) the line is dropped and counted,
 * and the log says so ({@code audit syslog: N lines not sent …}) at most every {@link #WARN_EVERY}; the audit file,
 * written before the line is offered, still has it. A write that makes no progress for {@link #WRITE_TIMEOUT} (a
 * receiver that stopped reading) closes the connection. After a failure the forwarder reconnects with exponential
 * backoff ({@code backoff} doubling up to {@link #MAX_BACKOFF}). TCP cannot say which of the lines written just before
 * a connection broke arrived; those may be missing at the receiver, never in the file.
 */
final class SyslogForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogForwarder.class);

    static final int DEFAULT_CAPACITY = 16_384;
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration WARN_EVERY = Duration.ofSeconds(10);
    /** How long {@link #close()} lets queued lines go out before it gives up on them. */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(2);

    private final AuditSyslogConfig config;
    private final SSLContext tls;
    private final String hostname = localHostName();
    private final long procId = ProcessHandle.current().pid();
    private final BlockingQueue<byte[]> queue;
    private final Duration initialBackoff;
    private final Duration drain;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceWarning = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;
    private volatile Socket socket;
    /** The TCP socket under {@link #socket}: closing it never waits (an SSLSocket's close sends close_notify). */
    private volatile Socket tcp;
    private volatile long writeStarted;
    private long lastWarning = System.nanoTime() - WARN_EVERY.toNanos();

    SyslogForwarder(AuditSyslogConfig config, int capacity, Duration initialBackoff, Duration drain)
            throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.tls = config.tls() ? sslContext(config.caBundle()) : null;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.initialBackoff = initialBackoff;
        this.drain = drain;
        this.thread = new Thread(this::run, "portcullis-audit-syslog");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static SyslogForwarder open(AuditSyslogConfig config) throws IOException {
        return new SyslogForwarder(config, DEFAULT_CAPACITY, DEFAULT_BACKOFF, DEFAULT_DRAIN);
    }

    /** Queues {@code line} (as written to the file, no newline) for the receiver; never blocks. */
    void offer(Instant time, AuditEvent event, byte[] line) {
        checkStuckWrite();
        byte[] frame = SyslogMessage.frame(time, event, line, hostname, config.appName(), procId);
        if (closing.getCount() == 0 || !queue.offer(frame)) {
            dropped.incrementAndGet();
            droppedSinceWarning.incrementAndGet();
        }
    }

    /** Lines not sent: the queue was full, the forwarder was closing, or the connection broke while sending. */
    long dropped() {
        return dropped.get();
    }

    /** Lines written to a connection. */
    long sent() {
        return sent.get();
    }

    private void run() {
        Duration backoff = initialBackoff;
        byte[] frame = null;
        while (!stopped) {
            try {
                if (frame == null) {
                    frame = queue.poll(WARN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    warnDropped();
                    if (frame == null) {
                        if (closing.getCount() == 0) {
                            break;
                        }
                        continue;
                    }
                }
                Socket current = socket;
                if (current == null) {
                    current = connect();
                    socket = current;
                    LOG.info("audit syslog: connected to {}{}", config.address(), tls != null ? " (TLS)" : "");
                    backoff = initialBackoff;
                }
                write(current.getOutputStream(), frame);
                sent.incrementAndGet();
                frame = null;
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    break;
                }
                closeSocket();
                LOG.warn("audit syslog: {} failed: {}; retrying in {} ms (the audit file has every line)",
                        config.address(), e.toString(), backoff.toMillis());
                try {
                    if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        if (frame != null) {
            dropped.incrementAndGet();
        }
        closeSocket();
    }

    private void write(OutputStream out, byte[] frame) throws IOException {
        writeStarted = System.nanoTime();
        try {
            out.write(frame);
            out.flush();
        } finally {
            writeStarted = 0;
        }
    }

    /** Called with every {@link #offer}: a write stuck for {@link #WRITE_TIMEOUT} ends the connection. */
    void checkStuckWrite() {
        long started = writeStarted;
        if (started != 0 && System.nanoTime() - started > WRITE_TIMEOUT.toNanos()) {
            LOG.warn("audit syslog: {} has not read for {} s; closing the connection", config.address(),
                    WRITE_TIMEOUT.toSeconds());
            closeSocket();
        }
    }

    private Socket connect() throws IOException {
        Socket plain = new Socket();
        tcp = plain;
        try {
            plain.setKeepAlive(true);
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(config.address().host(), config.address().port()),
                    (int) CONNECT_TIMEOUT.toMillis());
            if (tls == null) {
                return plain;
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, config.address().host(),
                    config.address().port(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 5425 §5.2: check the receiver's name
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            if (!config.address().host().contains(":") && !config.address().host().matches("[0-9.]+")) {
                parameters.setServerNames(List.of(new SNIHostName(config.address().host())));
            }
            secure.setSSLParameters(parameters);
            secure.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            secure.startHandshake();
            secure.setSoTimeout(0);
            return secure;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private void closeSocket() {
        Socket current = tcp;
        tcp = null;
        socket = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // already broken
            }
        }
    }

    private void warnDropped() {
        long now = System.nanoTime();
        if (now - lastWarning < WARN_EVERY.toNanos()) {
            return;
        }
        long count = droppedSinceWarning.getAndSet(0);
        if (count > 0) {
            lastWarning = now;
            LOG.warn("audit syslog: {} lines not sent to {} (receiver slow or down); the audit file has them", count,
                    config.address());
        }
    }

    /**
     * Lets the queued lines go out for at most the drain time, then stops: a dead receiver delays shutdown by that
     * much, no more. Lines still queued are counted as dropped.
     */
    @Override
    public void close() {
        closing.countDown();
        try {
            thread.join(drain.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        closeSocket(); // unblocks a write to a receiver that stopped reading
        thread.interrupt();
        try {
            thread.join(drain.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        queue.clear();
        dropped.addAndGet(left);
        droppedSinceWarning.addAndGet(left);
        long count = droppedSinceWarning.getAndSet(0);
        if (count > 0) {
            LOG.warn("audit syslog: {} lines not sent to {} (receiver slow or down); the audit file has them", count,
                    config.address());
        }
    }

    private static SSLContext sslContext(Path caBundle) throws IOException {
        try {
            if (caBundle == null) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(caBundle)) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, certificate);
                }
                if (i == 0) {
                    throw new IOException("audit.syslog.ca_bundle " + caBundle + " holds no certificate");
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("audit.syslog: cannot set up TLS with " + caBundle + ": " + e.getMessage(), e);
        }
    }

    /** The HOSTNAME of RFC 5424 §6.2.4, read without a DNS lookup: {@code $HOSTNAME} or /etc/hostname, else "-". */
    private static String localHostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/etc/hostname"), StandardCharsets.US_ASCII).strip();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        return SyslogMessage.field(name, 255);
    }
}
