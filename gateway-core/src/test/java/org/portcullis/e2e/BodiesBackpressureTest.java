package org.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.BodyPattern;

/**
 * Backpressure on request bodies (SECURITY-RULES 19): when the upstream does not read, the gateway must stop reading
 * the client, so the client's writes stall after a few socket buffers' worth. A gateway that kept reading would hold
 * the whole body in memory, up to the route's {@code max_body_bytes}, for every such client.
 *
 * <p>The upstream here is a plain socket that accepts and never reads (the echo upstream always reads).
 */
class BodiesBackpressureTest {
    private static final long BODY = 256L * 1024 * 1024;
    /** Socket buffers on the way (client, gateway in and out, upstream) hold a few MiB on loopback; never this. */
    private static final long STALL_LIMIT = 64L * 1024 * 1024;
    private static final int WRITE_SIZE = 61 * 1024;
    private static final long STALL_CHECK_MILLIS = 300;

    private static final String CONFIG = """
            server:
              listeners:
                - address: 127.0.0.1:@PORT@
            routes:
              - name: big
                host: big.test
                upstream: http://@UPSTREAM@
                upstream_timeout: 30s
                max_body_bytes: 1GiB
            access_control:
              default_policy: bypass
            """;

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void clientWritesStallWhileTheUpstreamDoesNotRead(@TempDir Path dir) throws Exception {
        try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GatewayHarness gateway = GatewayHarness.start(dir, CONFIG, deaf.getLocalPort());
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> upload(client, written), "backpressure-writer");
            writer.setDaemon(true);
            writer.start();
            try (Socket upstreamSide = deaf.accept()) {
                // Wait until the client makes no progress for a while, or has written more than any buffers hold.
                long last = -1;
                while (written.get() != last && written.get() < STALL_LIMIT && writer.isAlive()) {
                    last = written.get();
                    writer.join(STALL_CHECK_MILLIS);
                }
                System.out.println("BodiesBackpressureTest: client stalled after " + written.get() / 1024 + " KiB");
                assertThat(written.get()).as("bytes the client could write while the upstream read nothing")
                        .isLessThan(STALL_LIMIT);
            } finally {
                client.close();
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deafUpstreamEndsIn504NotInAClientTimeout(@TempDir Path dir) throws Exception {
        String config = CONFIG.replace("upstream_timeout: 30s", "upstream_timeout: 1s")
                .replace("routes:", "limits:\n  body_read_timeout: 300ms\nroutes:");
        try (ServerSocket deaf = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             GatewayHarness gateway = GatewayHarness.start(dir, config, deaf.getLocalPort());
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
            client.setSoTimeout(10_000);
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> upload(client, written), "backpressure-writer");
            writer.setDaemon(true);
            writer.start();
            try (Socket upstreamSide = deaf.accept()) {
                // The gateway holds the body back far longer than body_read_timeout: that wait is the upstream's.
                byte[] answer = client.getInputStream().readNBytes(12);
                assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 504");
            }
        }
    }

    private static void upload(Socket client, AtomicLong written) {
        byte[] block = BodyPattern.bytes(0, WRITE_SIZE);
        try {
            OutputStream out = client.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: big.test\r\nContent-Length: " + BODY + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (written.get() < BODY) {
                out.write(block);
                written.addAndGet(block.length);
            }
        } catch (IOException closed) {
            // the test closed the socket
        }
    }
}
