package org.portcullis.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.audit.AuditOutcome;
import org.portcullis.audit.ConfigReload;
import org.portcullis.config.AccessLogConfig;
import org.portcullis.config.AuditConfig;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.ConfigProblem;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LoadedConfig;
import org.portcullis.config.ServerConfig;
import org.portcullis.config.StorageConfig;
import org.portcullis.identity.UsersFileReloader;
import org.portcullis.proxy.GatewayRuntime;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.watch.FileWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload without a gap. On a change of the config file or any file it references (watched), or on SIGHUP, the
 * new config is loaded, validated and built into a complete {@link GatewaySnapshot}; only then is it published in one
 * atomic swap. An invalid config is refused with its errors logged, and the old one keeps serving. Requests already
 * admitted finish under the snapshot they started with.
 *
 * <p>Listener changes (addresses, TLS on/off) cannot be applied without rebinding sockets, so they are reported as
 * needing a restart and the running listeners are kept as they are; everything else of the new config applies. The
 * same holds for {@code audit} other than {@code log_allowed} (the sink is opened once at start), for
 * {@code server.access_log} (its writer too), and for {@code storage} (the database is opened
 * and its key checked once at start; a key change goes through {@code portcullis storage rotate-key} and a restart). Every attempt is written to the audit trail as
 * a {@link ConfigReload} event: outcome and error count only, never the config's contents.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** What one reload attempt did. */
    public enum Outcome { APPLIED, APPLIED_LISTENERS_NEED_RESTART, REFUSED }

    private final Path configFile;
    private final GatewayRuntime runtime;
    private final Optional<UsersFileReloader> users;
    private final ConfigLoader loader = new ConfigLoader();
    private FileWatch watch;
    private boolean watching;
    private boolean sighup;

    /** Reloads {@code server}'s config into its runtime, and on SIGHUP its users file too (when sign-in is on). */
    public ConfigReloader(Path configFile, GatewayServer server) {
        this.configFile = configFile.toAbsolutePath();
        this.runtime = server.runtime();
        this.users = server.signIn().map(SignInAssembly::usersReloader);
    }

    /** Loads, validates, builds and publishes; never throws. Safe to call from any thread. */
    public synchronized Outcome reload() {
        Outcome outcome;
        int errors = 0;
        try {
            outcome = attempt();
        } catch (RefusedReload refused) {
            outcome = Outcome.REFUSED;
            errors = refused.errorCount;
        }
        runtime.audit().record(new ConfigReload(outcome == Outcome.REFUSED ? AuditOutcome.FAILURE
                : AuditOutcome.SUCCESS, outcome.name(), configFile.toString(), errors));
        return outcome;
    }

    /** Why {@link #attempt()} refused, for the audit event: how many errors (already logged). */
    private static final class RefusedReload extends Exception {
        private final int errorCount;

        RefusedReload(int errorCount) {
            super(null, null, false, false);
            this.errorCount = errorCount;
        }
    }

    private Outcome attempt() throws RefusedReload {
        GatewaySnapshot current = runtime.snapshot();
        LoadedConfig loaded;
        try {
            loaded = loader.load(configFile);
        } catch (ConfigException e) {
            for (ConfigProblem error : e.errors()) {
                LOG.error("config reload refused: {}", error);
            }
            int count = e.errors().size();
            LOG.error("config reload refused ({} {}); still serving the previous config", count,
                    count == 1 ? "error" : "errors");
            throw new RefusedReload(count);
        } catch (RuntimeException e) {
            LOG.error("config reload refused: {}; still serving the previous config", e.toString());
            throw new RefusedReload(1);
        }
        loaded.warnings().forEach(w -> LOG.warn("config warning: {}", w));
        GatewayConfig next = loaded.config();
        boolean listenersChanged = !next.server().listeners().equals(current.config().server().listeners());
        // The transport drives the running event loops, like the listeners: a change waits for a restart.
        boolean transportChanged = next.server().transport() != current.config().server().transport();
        if (listenersChanged || transportChanged) {
            next = withListeners(next, current.config());
        }
        // The access log's writer is opened once at start, like the audit sink: a change waits for a restart.
        boolean accessLogChanged = !next.server().accessLog().equals(current.config().server().accessLog());
        if (accessLogChanged) {
            next = withAccessLog(next, current.config().server().accessLog());
        }
        boolean auditFileChanged = !Objects.equals(auditSink(next.audit()), auditSink(current.config().audit()));
        if (auditFileChanged) {
            next = withAudit(next, current.config().audit());
        }
        boolean storageChanged = !Objects.equals(next.storage(), current.config().storage());
        if (storageChanged) {
            next = withStorage(next, current.config().storage());
        }
        GatewaySnapshot snapshot;
        try {
            snapshot = GatewaySnapshot.build(next, runtime.pools(), runtime.clock());
        } catch (Exception e) {
            LOG.error("config reload refused: {}; still serving the previous config", e.getMessage());
            throw new RefusedReload(1);
        }
        runtime.publish(snapshot);
        restartWatching(next);
        if (auditFileChanged) {
            LOG.warn("config reloaded, but audit (file, key, rotation, compression or flush) changed: restart "
                    + "Portcullis to apply it; the audit trail is still written as before");
        }
        if (accessLogChanged) {
            LOG.warn("config reloaded, but server.access_log changed: restart Portcullis to apply it; the access log "
                    + "is still written as before");
        }
        if (storageChanged) {
            LOG.warn("config reloaded, but storage (data_dir or encryption_key) changed: restart Portcullis to apply "
                    + "it; the running store and key stay in use");
        }
        if (!Objects.equals(next.cache(), current.config().cache())) {
            LOG.warn("config reloaded, but cache changed: restart Portcullis to apply it; the running Redis"
                    + " connection (or its absence) stays in use");
        }
        if (!Objects.equals(next.users(), current.config().users())) {
            LOG.warn("config reloaded, but users (file or ldap) changed: restart Portcullis to apply it; the running "
                    + "users file and directory stay in use");
        }
        if (!Objects.equals(next.server().admin(), current.config().server().admin())) {
            LOG.warn("config reloaded, but server.admin changed: restart Portcullis to apply it; the admin listener "
                    + "stays as it is");
        }
        if (transportChanged) {
            LOG.warn("config reloaded, but server.transport changed: restart Portcullis to apply it; the running "
                    + "transport ({}) stays in use", current.config().server().transport().yaml());
        }
        if (listenersChanged) {
            LOG.warn("config reloaded, but server.listeners changed: restart Portcullis to apply the new listeners; "
                    + "still listening as before");
            return Outcome.APPLIED_LISTENERS_NEED_RESTART;
        }
        LOG.info("config reloaded from {}: {} routes, {} access rules", configFile, next.routes().size(),
                next.accessControl().rules().size());
        return Outcome.APPLIED;
    }

    /** Everything of {@code audit} that the open sink holds; only {@code log_allowed} applies without a restart. */
    private static AuditConfig auditSink(AuditConfig audit) {
        return audit == null ? null : audit.withLogAllowed(false);
    }

    /**
     * {@code next} with the running sink's settings: the open sink cannot move to another file or key without a
     * restart. The new {@code log_allowed} still applies.
     */
    private static GatewayConfig withAudit(GatewayConfig next, AuditConfig running) {
        AuditConfig kept = running == null || next.audit() == null ? running
                : running.withLogAllowed(next.audit().logAllowed());
        return next.withAudit(kept);
    }

    /** {@code next} with the running storage settings: the open store keeps its directory and key until a restart. */
    private static GatewayConfig withStorage(GatewayConfig next, StorageConfig running) {
        return next.withStorage(running);
    }

    private static GatewayConfig withListeners(GatewayConfig next, GatewayConfig running) {
        ServerConfig server = new ServerConfig(running.server().listeners(), next.server().trustedProxies(),
                running.server().transport(), next.server().hsts(), next.server().tlsProvider(),
                next.server().accessLog()).withOperations(next.server());
        List<Path> files = new java.util.ArrayList<>(next.referencedFiles());
        running.server().listeners().stream().filter(l -> l.isTls())
                .forEach(l -> files.addAll(List.of(l.tls().certificate(), l.tls().privateKey())));
        return next.withServer(server, files);
    }

    private static GatewayConfig withAccessLog(GatewayConfig next, AccessLogConfig running) {
        ServerConfig server = next.server();
        return next.withServer(new ServerConfig(server.listeners(), server.trustedProxies(), server.transport(),
                server.hsts(), server.tlsProvider(), running).withOperations(server), next.referencedFiles());
    }

    /** Starts watching the config file and the files it references, and reloading on SIGHUP. */
    public synchronized void start() {
        watching = true;
        restartWatching(runtime.snapshot().config());
        installSighup();
    }

    private void installSighup() {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP received: reloading {}", configFile);
                // The users file is reloaded by SIGHUP too, like the config (its watcher covers edits).
                users.ifPresent(UsersFileReloader::reload);
                reload();
            });
            // A parent that ignores SIGHUP (nohup) leaves it ignored: the JVM then installs nothing and says so only
            // through the handler it returns.
            sighup = previous != sun.misc.SignalHandler.SIG_IGN;
            if (!sighup) {
                LOG.warn("SIGHUP is ignored by this process (started under nohup?), so SIGHUP will not reload the "
                        + "config; the file watcher still reloads it on every change of the config or a file it names");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("cannot install the SIGHUP handler ({}), so SIGHUP will not reload the config; the file watcher "
                    + "still reloads it on every change of the config or a file it names", e.getMessage());
        }
    }

    /**
     * Whether {@link #start()} installed the SIGHUP handler. Until it has (or where it cannot), SIGHUP keeps the JVM's
     * default meaning: shut down.
     */
    public synchronized boolean reloadsOnSighup() {
        return sighup;
    }

    private void restartWatching(GatewayConfig config) {
        if (!watching) {
            return;
        }
        stopWatching();
        Set<Path> files = new HashSet<>();
        files.add(configFile);
        config.referencedFiles().forEach(p -> files.add(p.toAbsolutePath()));
        try {
            // An applied reload restarts watching with the new file set (closing this watch from its own thread);
            // a refused one leaves it running, so the corrected file is picked up too.
            watch = FileWatch.start(files, "portcullis-config-watch", this::reload);
        } catch (IOException e) {
            LOG.error("cannot watch config files for changes ({}); reload with SIGHUP", e.getMessage());
        }
    }

    private void stopWatching() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    @Override
    public synchronized void close() {
        watching = false;
        stopWatching();
    }
}
