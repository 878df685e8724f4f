package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.EchoUpstream;
import org.portcullis.fixtures.RawHttpClient;

/** Upstreams named by host name are resolved off the event loop, through the operating system's resolver. */
class UpstreamNameResolutionTest {
    @TempDir
    Path dir;

    static String config(String upstreamHost) {
        return """
                server:
                  listeners:
                    - address: 127.0.0.1:@PORT@
                routes:
                  - name: app
                    host: app.test
                    upstream: http://%s:@UPSTREAM_PORT@
                access_control:
                  default_policy: bypass
                """.formatted(upstreamHost);
    }

    @Test
    void upstreamNamedLocalhostIsReached() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start();
             GatewayHarness gateway = GatewayHarness.start(dir,
                     config("localhost").replace("@UPSTREAM_PORT@", Integer.toString(upstream.port())),
                     upstream.port())) {
            assertThat(RawHttpClient.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: app.test\r\n\r\n").status())
                    .isEqualTo(200);
            assertThat(upstream.takeRequest(Duration.ofSeconds(5)).requestLine()).isEqualTo("GET /x HTTP/1.1");
        }
    }

    @Test
    void unresolvableUpstreamGets502() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start(dir,
                config("no-such-host.invalid").replace("@UPSTREAM_PORT@", "8080"), 8080)) {
            assertThat(RawHttpClient.exchange(gateway.port(), "GET /x HTTP/1.1\r\nHost: app.test\r\n\r\n").status())
                    .isEqualTo(502);
        }
    }
}
