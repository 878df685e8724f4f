package org.portcullis.signin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP "RDP host" on 127.0.0.1 that records exactly the bytes each connection sent it, and can answer with bytes of
 * its own or hang up. Plain JDK sockets, independent of the gateway's code.
 */
final class RecordingTarget implements AutoCloseable {
    private final ServerSocket server;
    private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile int connections;
    private volatile byte[] greeting = new byte[0];

    RecordingTarget() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "recording-target");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** What the target sends each connection as soon as it receives its first bytes. */
    void answerWith(byte[] bytes) {
        greeting = bytes;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections++;
                sockets.add(socket);
                Thread reader = new Thread(() -> read(socket), "recording-target-read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            boolean answered = false;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (received) {
                    received.write(buffer, 0, n);
                }
                if (!answered && greeting.length > 0) {
                    out.write(greeting);
                    out.flush();
                    answered = true;
                }
            }
        } catch (IOException ignored) {
            // the gateway closed it, or we did
        }
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    int connections() {
        return connections;
    }

    /** Waits until at least {@code count} bytes arrived; returns them. */
    byte[] awaitBytes(int count, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (received().length < count && System.nanoTime() < end) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return received();
    }

    /** Hangs up every connection (the RDP host ending the session). */
    void hangUp() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        hangUp();
    }
}
