package org.portcullis.connect;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.net.ssl.SSLSocket;

/**
 * One WebSocket (RFC 6455) to the gateway's tunnel endpoint, carrying one local TCP connection: the handshake with the
 * token, then binary frames each way. The client masks every frame it sends (§5.3); frames from the gateway must be
 * unmasked. Sending is thread-safe (the relay's two directions both send: data, and pongs and the close).
 */
final class WebSocketTunnel implements Closeable {
    static final int MAX_PAYLOAD = 1024 * 1024;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern ERROR = java.util.regex.Pattern.compile("\"error\":\"([a-z_]{1,64})\"");
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** What the handshake came to: an open tunnel, or the gateway's refusal with its status and error code. */
    sealed interface Opening permits Opened, Refused {
    }

    record Opened(WebSocketTunnel tunnel) implements Opening {
    }

    /** @param error the gateway's error code ({@code connect_token_missing}, …), or "" */
    record Refused(int status, String error) implements Opening {
    }

    /** One frame from the gateway. */
    record Frame(int opcode, boolean fin, byte[] payload) {
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private WebSocketTunnel(SSLSocket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(in);
        this.out = socket.getOutputStream();
    }

    /** Opens a WebSocket to {@code path} on {@code gateway} with {@code token}. */
    static Opening open(GatewayEndpoint gateway, String path, String token) throws IOException {
        SSLSocket socket = gateway.open();
        try {
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + gateway.authority() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + token + "\r\nUser-Agent: portcullis-connect\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead head = HttpHead.read(in);
            if (head.status() != 101) {
                String body = new String(head.body(in, 4096), StandardCharsets.US_ASCII);
                socket.close();
                java.util.regex.Matcher error = ERROR.matcher(body);
                return new Refused(head.status(), error.find() ? error.group(1) : "");
            }
            if (!"websocket".equalsIgnoreCase(head.field("upgrade"))
                    || !accept(key).equals(head.field("sec-websocket-accept"))) {
                throw new IOException("the gateway's WebSocket handshake is not valid");
            }
            socket.setSoTimeout(0);
            return new Opened(new WebSocketTunnel(socket, in));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("WebSocketTunnel: SHA-1 missing", e);
        }
    }

    void sendBinary(byte[] data, int offset, int length) throws IOException {
        send(BINARY, data, offset, length);
    }

    void sendClose() throws IOException {
        byte[] normal = {0x03, (byte) 0xE8}; // 1000
        send(CLOSE, normal, 0, normal.length);
    }

    void sendPong(byte[] payload) throws IOException {
        send(PONG, payload, 0, payload.length);
    }

    private synchronized void send(int opcode, byte[] data, int offset, int length) throws IOException {
        byte[] header = new byte[14];
        int n = 0;
        header[n++] = (byte) (0x80 | opcode);
        if (length < 126) {
            header[n++] = (byte) (0x80 | length);
        } else if (length <= 0xFFFF) {
            header[n++] = (byte) (0x80 | 126);
            header[n++] = (byte) (length >>> 8);
            header[n++] = (byte) length;
        } else {
            header[n++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header[n++] = (byte) ((long) length >>> shift);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        System.arraycopy(mask, 0, header, n, 4);
        n += 4;
        byte[] masked = new byte[length];
        for (int i = 0; i < length; i++) {
            masked[i] = (byte) (data[offset + i] ^ mask[i & 3]);
        }
        out.write(header, 0, n);
        out.write(masked);
        out.flush();
    }

    /** The next frame from the gateway; EOF when the connection ended without a close frame. */
    Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the gateway closed the connection");
        }
        int second = in.readUnsignedByte();
        if ((second & 0x80) != 0) {
            throw new IOException("a masked frame from the gateway");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("a frame of " + length + " bytes from the gateway");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
