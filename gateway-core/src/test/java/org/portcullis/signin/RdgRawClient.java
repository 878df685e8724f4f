package org.portcullis.signin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * An RD Gateway client over the HTTP transport, byte by byte as FreeRDP 2.11's rdg.c sends it, written independently
 * of the gateway's codec: an OUT channel (RDG_OUT_DATA), an IN channel (RDG_IN_DATA, then a chunked body), client
 * packets built by hand. Used for the exact-bytes, refusal and framing tests.
 */
final class RdgRawClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    final RawHttpClient out;
    final RawHttpClient in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private RdgRawClient(RawHttpClient out, RawHttpClient in) {
        this.out = out;
        this.in = in;
    }

    /** Opens both channels; the IN channel's chunked body has begun. */
    static RdgRawClient open(SignInGateway gateway) throws IOException {
        String id = "{" + UUID.randomUUID() + "}";
        RawHttpClient out = RawHttpClient.connectTls(gateway.port, gateway.certs, "login.test");
        out.send(head("RDG_OUT_DATA", id, "Content-Length: 0\r\n"));
        byte[] outBytes = readHead(out);
        String outText = new String(outBytes, StandardCharsets.ISO_8859_1);
        if (!outText.startsWith("HTTP/1.1 200 ")) {
            throw new AssertionError("OUT channel refused: " + outText);
        }
        RawHttpClient in = RawHttpClient.connectTls(gateway.port, gateway.certs, "login.test");
        in.send(head("RDG_IN_DATA", id, "Content-Length: 0\r\n"));
        RawResponse inAnswer = in.readResponse(WAIT);
        if (inAnswer.status() != 200) {
            throw new AssertionError("IN channel refused: " + inAnswer.statusLine());
        }
        in.send(head("RDG_IN_DATA", id, "Transfer-Encoding: chunked\r\n"));
        RdgRawClient client = new RdgRawClient(out, in);
        int headEnd = outText.indexOf("\r\n\r\n") + 4;
        client.pending.write(outBytes, headEnd, outBytes.length - headEnd);
        // the seed: ten bytes after the OUT head
        client.readExactly(10);
        return client;
    }

    static String head(String method, String id, String framing) {
        return method + " /remoteDesktopGateway/ HTTP/1.1\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n"
                + "Accept: */*\r\nUser-Agent: MS-RDGateway/1.0\r\nHost: login.test\r\nConnection: Keep-Alive\r\n"
                + "RDG-Connection-Id: " + id + "\r\nRDG-Auth-Scheme: PAA\r\n" + framing + "\r\n";
    }

    /** Reads the OUT response head byte by byte (it has no length: the packets follow it). */
    private static byte[] readHead(RawHttpClient client) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            byte[] got = client.readAvailable(Duration.ofMillis(200));
            head.writeBytes(got);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int at = text.indexOf("\r\n\r\n");
            if (at >= 0) {
                return head.toByteArray();
            }
            if (got.length == 0 && client.isClosedByPeer(Duration.ofMillis(1))) {
                break;
            }
        }
        return head.toByteArray();
    }

    /** Sends client packets as one chunk. */
    void send(byte[] packets) throws IOException {
        in.send((Integer.toHexString(packets.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        in.send(packets);
        in.send("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends raw bytes on the IN channel (already chunked or deliberately broken). */
    void sendRaw(byte[] bytes) throws IOException {
        in.send(bytes);
    }

    /** The next server packet: [type, errorCode-or-first-field...] as raw bytes. */
    byte[] nextPacket() throws IOException {
        byte[] header = readExactly(8);
        int length = (header[4] & 0xFF) | (header[5] & 0xFF) << 8 | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 24;
        byte[] body = readExactly(length - 8);
        byte[] packet = new byte[length];
        System.arraycopy(header, 0, packet, 0, 8);
        System.arraycopy(body, 0, packet, 8, body.length);
        return packet;
    }

    private byte[] readExactly(int n) throws IOException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (pending.size() < n && System.nanoTime() < end) {
            byte[] got = out.readAvailable(Duration.ofMillis(100));
            pending.writeBytes(got);
            if (got.length == 0 && out.isClosedByPeer(Duration.ofMillis(1)) && pending.size() < n) {
                throw new IOException("OUT channel closed by the gateway");
            }
        }
        if (pending.size() < n) {
            throw new IOException("no packet within " + WAIT);
        }
        byte[] all = pending.toByteArray();
        pending.reset();
        pending.write(all, n, all.length - n);
        return java.util.Arrays.copyOf(all, n);
    }

    static int type(byte[] packet) {
        return (packet[0] & 0xFF) | (packet[1] & 0xFF) << 8;
    }

    static long u32(byte[] packet, int at) {
        return ((packet[at] & 0xFFL) | (packet[at + 1] & 0xFFL) << 8 | (packet[at + 2] & 0xFFL) << 16
                | (packet[at + 3] & 0xFFL) << 24);
    }

    @Override
    public void close() throws IOException {
        in.close();
        out.close();
    }

    // --- client packets, laid out as rdg.c writes them -----------------------------------------------------------

    static byte[] packet(int type, byte[] body) {
        return packet(type, 8 + body.length, body);
    }

    static byte[] packet(int type, long declared, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le16(b, type);
        le16(b, 0);
        le32(b, declared);
        b.writeBytes(body);
        return b.toByteArray();
    }

    static byte[] handshake(int extAuth) {
        return packet(1, new byte[] {1, 0, 0, 0, (byte) extAuth, 0});
    }

    static byte[] tunnelCreate(String token) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le32(b, 0x0D);
        le16(b, token == null ? 0 : 1);
        le16(b, 0);
        if (token != null) {
            utf16(b, token);
        }
        return packet(4, b.toByteArray());
    }

    static byte[] tunnelAuth(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le16(b, 0);
        utf16(b, name);
        return packet(6, b.toByteArray());
    }

    static byte[] channelCreate(String host, int port) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(1);
        b.write(0);
        le16(b, port);
        le16(b, 3);
        utf16(b, host);
        return packet(8, b.toByteArray());
    }

    static byte[] data(byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le16(b, payload.length);
        b.writeBytes(payload);
        return packet(0xA, b.toByteArray());
    }

    static void utf16(ByteArrayOutputStream b, String s) {
        byte[] text = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
        le16(b, text.length);
        b.writeBytes(text);
    }

    static void le16(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
    }

    static void le32(ByteArrayOutputStream b, long v) {
        le16(b, (int) (v & 0xFFFF));
        le16(b, (int) ((v >>> 16) & 0xFFFF));
    }
}
