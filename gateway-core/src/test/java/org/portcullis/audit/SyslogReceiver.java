package org.portcullis.audit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A syslog receiver on 127.0.0.1 for tests: accepts TCP (or TLS) connections and reads RFC 6587 octet-counted frames,
 * strictly: digits, one space, exactly that many bytes; anything else fails the connection and is recorded as a
 * framing error. It can stop reading ({@link Mode#STALLED}), or close each connection after its first message.
 */
final class SyslogReceiver implements AutoCloseable {
    enum Mode { READ, STALLED, CLOSE_AFTER_FIRST }

    private final ServerSocket server;
    private final Mode mode;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;
    private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);

    private SyslogReceiver(ServerSocket server, Mode mode) {
        this.server = server;
        this.mode = mode;
        this.acceptor = new Thread(this::accept, "test-syslog-receiver");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    static SyslogReceiver tcp(Mode mode) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReceiveBufferSize(1024); // a small window, so a receiver that stops reading backs up soon
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new SyslogReceiver(server, mode);
    }

    static SyslogReceiver tls(SSLContext context) throws IOException {
        ServerSocket server = context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        return new SyslogReceiver(server, Mode.READ);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** The next message (without its length prefix), or null after {@code wait}. */
    String take(Duration wait) throws InterruptedException {
        return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    String framingError() {
        return errors.peek();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread reader = new Thread(() -> read(socket), "test-syslog-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            if (mode == Mode.STALLED) {
                stop.await(); // never reads: the sender's buffers fill up
                return;
            }
            while (true) {
                int length = 0;
                int c = in.read();
                if (c < 0) {
                    return;
                }
                int digits = 0;
                while (c >= '0' && c <= '9') {
                    length = length * 10 + (c - '0');
                    digits++;
                    c = in.read();
                }
                if (digits == 0 || c != ' ' || length == 0) {
                    errors.add("bad frame header at byte " + (char) c);
                    return;
                }
                byte[] message = in.readNBytes(length);
                if (message.length != length) {
                    errors.add("frame cut short: " + message.length + " of " + length);
                    return;
                }
                messages.add(new String(message, StandardCharsets.UTF_8));
                if (mode == Mode.CLOSE_AFTER_FIRST) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // connection ended
        }
    }

    @Override
    public void close() throws IOException {
        stop.countDown();
        server.close();
    }
}
