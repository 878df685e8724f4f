package org.portcullis.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.fixtures.TestCertificates;
import org.portcullis.identity.Argon2Parameters;
import org.portcullis.identity.PasswordHasher;

/**
 * The files of one gateway cluster as an admin would lay them out (docs/cluster.md): every node on one PostgreSQL
 * database ({@code storage.backend: postgresql}) and one Redis ({@code cache.redis}), with one certificate, one users
 * file, one storage key, and a portal URL naming the load balancer's port, so that any node can answer any request of
 * a browser that only knows {@code https://login.test:BALANCER} and {@code https://app.test:BALANCER}. The nodes'
 * configs differ only in their listener port, their access log and their audit trail.
 *
 * <p>{@code /records/**} on app.test needs two factors, the rest of app.test one. Every user has {@link #PASSWORD}.
 */
final class ClusterSite implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    static final String POLICY = """
            access_control:
              default_policy: deny
              rules:
                - id: records
                  hosts: [app.test]
                  paths: ["/records/**"]
                  policy: two_factor
                - id: signed-in
                  hosts: [app.test]
                  policy: one_factor
            """;

    final Path dir;
    final TestCertificates certs;
    final EchoUpstream upstream;
    final int balancerPort;
    private final String storageYaml;
    private final String cacheYaml;
    private final Path users;
    private final String keyText;

    private ClusterSite(Path dir, TestCertificates certs, EchoUpstream upstream, int balancerPort, String storageYaml,
                        String cacheYaml, Path users, String keyText) {
        this.dir = dir;
        this.certs = certs;
        this.upstream = upstream;
        this.balancerPort = balancerPort;
        this.storageYaml = storageYaml;
        this.cacheYaml = cacheYaml;
        this.users = users;
        this.keyText = keyText;
    }

    /**
     * A site in {@code dir} for {@code userNames} on a fresh database of {@code postgres} and on {@code redis}, with
     * the portal behind {@code balancerPort}; {@code stalenessBudget} is {@code cache.redis.staleness_budget}.
     */
    static ClusterSite create(Path dir, PostgresServer postgres, RedisServer redis, int balancerPort,
                              List<String> userNames, String stalenessBudget) throws IOException {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        PasswordHasher hasher = new PasswordHasher(new Argon2Parameters(19456, 2, 1));
        StringBuilder usersYaml = new StringBuilder("users:\n");
        for (String name : userNames) {
            usersYaml.append("""
                      - username: %s
                        display_name: %s Example
                        email: %s@example.org
                        groups: [staff]
                        password: "%s"
                    """.formatted(name, name, name, hasher.hash(PASSWORD.toCharArray())));
        }
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, usersYaml);
        String storage = """
                  backend: postgresql
                  postgresql:
                    url: %s
                    user: %s
                    password: "%s"
                    ssl_mode: disable
                    pool_size: 4
                    connect_timeout: 2s
                    query_timeout: 2s
                """.formatted(postgres.url(postgres.newDatabase()), PostgresServer.USER, PostgresServer.PASSWORD);
        String cache = """
                cache:
                  redis:
                    url: %s
                    staleness_budget: %s
                    command_timeout: 2s
                """.formatted(redis.url(), stalenessBudget);
        EchoUpstream upstream = EchoUpstream.start();
        return new ClusterSite(dir, certs, upstream, balancerPort, storage, cache, users, "7c".repeat(32));
    }

    String portal() {
        return "https://login.test:" + balancerPort;
    }

    String app() {
        return "https://app.test:" + balancerPort;
    }

    Path accessLog(int node) {
        return dir.resolve("access-" + node + ".log");
    }

    Path auditTrail(int node) {
        return dir.resolve("audit-" + node + ".jsonl");
    }

    /** Writes node {@code node}'s config, listening on {@code port}; {@code serverExtra} goes under {@code server:}. */
    Path writeNodeConfig(int node, int port, String serverExtra) throws IOException {
        String yaml = """
                server:
                  listeners:
                    - address: 127.0.0.1:%d
                      tls:
                        certificate: %s
                        private_key: %s
                  access_log:
                    file: %s
                %sroutes:
                  - name: app
                    host: app.test
                    upstream: http://127.0.0.1:%d
                    upstream_timeout: 5s
                portal:
                  url: %s
                  branding:
                    organisation: Example Health Trust
                storage:
                  data_dir: %s
                  encryption_key: "%s"
                %susers:
                  file: %s
                audit:
                  file: %s
                  key: "%s"
                  rotate: never
                """.formatted(port, certs.certificateChainPem(), certs.privateKeyPem(), accessLog(node),
                serverExtra.indent(2), upstream.port(), portal(), dir.resolve("data-" + node), keyText, storageYaml,
                users, auditTrail(node), "a1".repeat(32)) + cacheYaml + POLICY;
        Path config = dir.resolve("node-" + node + ".yaml");
        Files.writeString(config, yaml);
        return config;
    }

    @Override
    public void close() {
        upstream.close();
    }
}
