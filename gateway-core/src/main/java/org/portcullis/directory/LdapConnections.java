package org.portcullis.directory;

import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import org.portcullis.config.LdapConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled connections to the directory, bound as the service account, made once at start from
 * {@link LdapConfig}:
 * <ul>
 *   <li>the servers are tried in order ({@link FailoverServerSet}); a dead one costs at most
 *       {@code connect_timeout} before the next is tried;</li>
 *   <li>TLS ({@code ldaps://}, or StartTLS before the bind) checks the certificate chain against {@code ca_file} or
 *       the JVM's trust store, and the host name against the certificate ({@link CertificateNameVerifier}, and for StartTLS the JDK's
 *       endpoint identification as well, {@link EndpointCheckingSocketFactory}); a mismatch fails the connection, it is never downgraded;</li>
 *   <li>every operation has {@code response_timeout}; waiting for a free connection is bounded by
 *       {@code connect_timeout};</li>
 *   <li>the pool starts even when the directory is down (sign-ins then fail closed) and makes connections again
 *       when it is back; an operation that meets a dead pooled connection is retried once on a new one.</li>
 * </ul>
 */
final class LdapConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapConnections.class);

    private final LDAPConnectionPool pool;

    private LdapConnections(LDAPConnectionPool pool) {
        this.pool = pool;
    }

    static LdapConnections open(LdapConfig config) {
        Objects.requireNonNull(config, "config");
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(Math.toIntExact(config.connectTimeout().toMillis()));
        options.setResponseTimeoutMillis(config.responseTimeout().toMillis());
        options.setAbandonOnTimeout(true);
        // A simple bind with a DN and an empty password is an anonymous bind that "succeeds" (RFC 4513 5.1.2).
        options.setBindWithDNRequiresPassword(true);
        options.setFollowReferrals(false);
        SocketFactory sockets = SocketFactory.getDefault();
        PostConnectProcessor startTls = null;
        if (!config.plain()) {
            options.setSSLSocketVerifier(new CertificateNameVerifier());
            SSLUtil ssl = new SSLUtil(trustManager(config));
            try {
                SSLSocketFactory checked = new EndpointCheckingSocketFactory(ssl.createSSLSocketFactory());
                if (config.servers().get(0).ldaps()) {
                    sockets = checked;
                } else {
                    startTls = new StartTLSPostConnectProcessor(checked);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("users.ldap: cannot set up TLS: " + e.getMessage(), e);
            }
        } else if (config.insecurePlainLdap()) {
            LOG.warn("INSECURE: users.ldap.insecure_plain_ldap is on: passwords cross the network to {} in clear text",
                    config.servers());
        }
        List<LdapConfig.Server> servers = config.servers();
        String[] hosts = servers.stream().map(LdapConfig.Server::host).toArray(String[]::new);
        int[] ports = servers.stream().mapToInt(LdapConfig.Server::port).toArray();
        FailoverServerSet serverSet = new FailoverServerSet(hosts, ports, sockets, options);
        BindRequest service = new SimpleBindRequest(config.bindDn(), config.bindPassword());
        try {
            // One connection is tried at start (not required: the gateway starts while the directory is down).
            LDAPConnectionPool pool = new LDAPConnectionPool(serverSet, service, 1, config.poolSize(), 1, startTls,
                    false);
            pool.setCreateIfNecessary(true);
            pool.setMaxWaitTimeMillis(config.connectTimeout().toMillis());
            pool.setRetryFailedOperationsDueToInvalidConnections(EnumSet.allOf(OperationType.class));
            pool.setConnectionPoolName("portcullis-ldap");
            return new LdapConnections(pool);
        } catch (LDAPException e) {
            throw new IllegalStateException("users.ldap: cannot create the connection pool: " + e.getMessage(), e);
        }
    }

    private static TrustManager trustManager(LdapConfig config) {
        if (config.caFile() == null) {
            return JVMDefaultTrustManager.getInstance();
        }
        try {
            return new PEMFileTrustManager(config.caFile().toFile());
        } catch (java.security.KeyStoreException e) {
            throw new IllegalStateException("users.ldap.ca_file " + config.caFile() + ": " + e.getMessage(), e);
        }
    }

    LDAPConnectionPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
