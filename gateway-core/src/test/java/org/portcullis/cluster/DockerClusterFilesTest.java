package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.GatewayConfig;
import org.portcullis.config.LoadedConfig;
import org.portcullis.config.StorageBackend;
import org.portcullis.fixtures.TestCertificates;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.dataformat.yaml.YAMLFactory;

/**
 * The two-node example of docs/cluster.md, {@code docker/cluster/}, is one that works as far as can be checked here
 * without a container engine: the compose file parses and has every part the page describes, the nodes' config passes
 * the gateway's own validation (what {@code portcullis config validate} runs) once its container paths point at real
 * files, and the load balancer passes TCP to both nodes.
 */
class DockerClusterFilesTest {
    static final Path CLUSTER = Path.of("..", "docker", "cluster");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void composeFileHasTheStoresTheTwoNodesTheBalancerAndTheUpstream() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) parse(Files.readString(CLUSTER.resolve("compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services.keySet()).containsExactlyInAnyOrder("portcullis-1", "portcullis-2", "lb", "postgres",
                "redis", "upstream");
        for (String node : List.of("portcullis-1", "portcullis-2")) {
            Map<String, Object> service = (Map<String, Object>) services.get(node);
            assertThat(service.get("volumes").toString()).contains("./portcullis.yaml:/etc/portcullis/portcullis.yaml")
                    .contains(node + "-data:/var/lib/portcullis");
            assertThat(((Map<String, Object>) service.get("environment")).get("PORTCULLIS_NODE_ID")).isEqualTo(node);
            assertThat(service).containsKey("<<"); // the shared node settings (image build, read-only, depends_on)
        }
        assertThat(services.get("redis").toString()).contains("--requirepass");
        String nginx = Files.readString(CLUSTER.resolve("nginx.conf"), StandardCharsets.UTF_8);
        assertThat(nginx).contains("stream {").contains("server portcullis-1:8443").contains("server portcullis-2:8443")
                .doesNotContain("http {");
    }

    /** The YAML as maps, lists and strings (a parse error fails the test). */
    static Object parse(String yaml) {
        try (JsonParser parser = new YAMLFactory().createParser(ObjectReadContext.empty(), new StringReader(yaml))) {
            parser.nextToken();
            return value(parser);
        }
    }

    private static Object value(JsonParser parser) {
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                map.put(key, value(parser));
            }
            return map;
        }
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            List<Object> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(value(parser));
            }
            return list;
        }
        return parser.getString();
    }

    @Test
    void theNodesConfigValidatesWithPostgresqlAndRedis() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("tls"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path users = dir.resolve("users.yaml");
        Files.copy(Path.of("..", "docker", "compose-users.yaml"), users);
        String yaml = Files.readString(CLUSTER.resolve("portcullis.yaml"), StandardCharsets.UTF_8)
                .replace("/etc/portcullis/tls/fullchain.pem", certs.certificateChainPem().toString())
                .replace("/etc/portcullis/tls/privkey.pem", certs.privateKeyPem().toString())
                .replace("/etc/portcullis/users.yaml", users.toString())
                .replace("/var/lib/portcullis", data.toString());
        Path config = dir.resolve("portcullis.yaml");
        Files.writeString(config, yaml);

        LoadedConfig loaded = new ConfigLoader(Map.of("PORTCULLIS_NODE_ID", "portcullis-1",
                "PORTCULLIS_PG_PASSWORD", "change-me-postgres-password",
                "PORTCULLIS_REDIS_PASSWORD", "change-me-redis-password")).load(config);

        GatewayConfig gateway = loaded.config();
        assertThat(gateway.storage().backend()).isEqualTo(StorageBackend.POSTGRESQL);
        assertThat(gateway.storage().postgresql().describe()).isEqualTo("postgresql://postgres:5432/portcullis");
        assertThat(gateway.cache()).isNotNull();
        assertThat(gateway.audit().nodeId()).isEqualTo("portcullis-1");
    }
}
