package org.portcullis.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.portcullis.server.ConfigReloader;
import org.portcullis.server.GatewayServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT for {@code portcullis run}: the first stops the gateway gracefully ({@link
 * GatewayServer#shutdown}: stop accepting, close frames to tunnels, requests in flight answered within
 * {@code server.shutdown_grace}, audit trail and access log written out) and {@code run} exits 0; a second one exits
 * at once (128 + the signal's number), for an operator who does not want to wait.
 *
 * <p>Where the handlers cannot be installed (a JVM started with {@code -Xrs}, the signal ignored by the parent), the
 * JVM's own shutdown hook still stops the gateway gracefully, but with the JVM's exit code; a warning says so at start.
 */
final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final GatewayServer server;
    private final ConfigReloader reloader;
    private final Duration grace;
    private final AtomicInteger signals = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);

    GracefulStop(GatewayServer server, ConfigReloader reloader, Duration grace) {
        this.server = server;
        this.reloader = reloader;
        this.grace = grace;
    }

    /** Installs the signal handlers and, for every other way the JVM ends, a shutdown hook. */
    void install() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                SignalHandler previous = Signal.handle(new Signal(name), this::onSignal);
                if (previous == SignalHandler.SIG_IGN) {
                    LOG.warn("SIG{} is ignored by this process (its parent ignored it): it will not stop Portcullis",
                            name);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.warn("cannot handle SIG{} ({}): it still stops Portcullis gracefully through the JVM's shutdown "
                        + "hook, but the exit code is the JVM's, and a second signal does not cut the wait short",
                        name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "portcullis-shutdown-hook"));
    }

    /** Waits until the gateway has stopped. */
    void await() throws InterruptedException {
        stopped.await();
    }

    private void onSignal(Signal signal) {
        if (signals.incrementAndGet() > 1) {
            LOG.warn("second SIG{} during the graceful stop: exiting now", signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
            return;
        }
        LOG.info("SIG{} received: stopping gracefully (up to {}; send it again to exit at once)", signal.getName(),
                grace);
        Thread stopper = new Thread(this::stop, "portcullis-shutdown");
        stopper.start();
    }

    private synchronized void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            reloader.close();
            server.shutdown(grace);
        } finally {
            stopped.countDown();
        }
    }
}
