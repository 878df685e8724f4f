package org.portcullis.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The head of one HTTP/1.1 message as the command reads it (a response from the gateway, or the browser's request to
 * the loopback redirect): the first line and the header fields, read byte by byte up to the empty line, at most
 * {@link #MAX_BYTES}. Nothing after the head is consumed, so a WebSocket's first frame stays in the stream.
 */
record HttpHead(String firstLine, List<String[]> fields) {
    static final int MAX_BYTES = 16 * 1024;

    static HttpHead read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the HTTP head");
            }
            bytes.write(b);
            if (bytes.size() > MAX_BYTES) {
                throw new IOException("HTTP head longer than " + MAX_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                fields.add(new String[] {lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim()});
            }
        }
        return new HttpHead(lines[0], List.copyOf(fields));
    }

    /** The status code of a response head, or -1. */
    int status() {
        String[] parts = firstLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The value of the one field called {@code name} (any case), or null when there is none or several. */
    String field(String name) {
        String found = null;
        for (String[] field : fields) {
            if (field[0].equals(name.toLowerCase(Locale.ROOT))) {
                if (found != null) {
                    return null;
                }
                found = field[1];
            }
        }
        return found;
    }

    /** Reads the body that follows a response head with a Content-Length, at most {@code max} bytes. */
    byte[] body(InputStream in, int max) throws IOException {
        String length = field("content-length");
        if (length == null || !length.matches("[0-9]{1,9}") || Integer.parseInt(length) > max) {
            return new byte[0];
        }
        return in.readNBytes(Integer.parseInt(length));
    }
}
