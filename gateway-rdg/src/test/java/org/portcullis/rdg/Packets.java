package org.portcullis.rdg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Client packets built byte by byte, the way FreeRDP's rdg.c lays them out (test side, independent of the encoder). */
final class Packets {
    private Packets() {
    }

    static byte[] packet(int type, int declaredLength, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le16(out, type);
        le16(out, 0);
        le32(out, declaredLength);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] packet(int type, byte[] body) {
        return packet(type, 8 + body.length, body);
    }

    static byte[] handshake() {
        return packet(1, new byte[] {1, 0, 0, 0, 2, 0});
    }

    static byte[] tunnelCreate(String cookie) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le32(b, 0x0D);
        le16(b, cookie == null ? 0 : 1);
        le16(b, 0);
        if (cookie != null) {
            utf16(b, cookie);
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

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static void utf16(ByteArrayOutputStream b, String s) {
        byte[] text = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
        le16(b, text.length);
        b.writeBytes(text);
    }

    static void le16(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    static void le32(ByteArrayOutputStream out, long v) {
        le16(out, (int) (v & 0xFFFF));
        le16(out, (int) ((v >>> 16) & 0xFFFF));
    }
}
