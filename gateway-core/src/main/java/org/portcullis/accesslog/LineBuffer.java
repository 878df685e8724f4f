package org.portcullis.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * The writer thread's reusable buffer of formatted lines, UTF-8. It grows as needed and is reset after each write, so
 * formatting allocates nothing per line. Not thread-safe.
 */
final class LineBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;

    LineBuffer(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    /** The bytes from {@code from} to the end (for tests and the size check of rotation). */
    byte[] copy(int from) {
        return Arrays.copyOfRange(bytes, from, size);
    }

    void writeTo(WritableByteChannel channel) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes, 0, size);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    LineBuffer ascii(byte b) {
        ensure(1);
        bytes[size++] = b;
        return this;
    }

    /** Appends text known to be ASCII (field names, fixed words). */
    LineBuffer ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
        return this;
    }

    LineBuffer ascii(byte[] text) {
        ensure(text.length);
        System.arraycopy(text, 0, bytes, size, text.length);
        size += text.length;
        return this;
    }

    LineBuffer number(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        if (value < 0) {
            ascii((byte) '-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
        return this;
    }

    /** {@code value} as exactly {@code width} decimal digits, zero-padded (0 ≤ value < 10^width). */
    LineBuffer digits(int value, int width) {
        ensure(width);
        for (int i = size + width - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
        return this;
    }

    /** {@code \xNN}, lower-case hex, for a character below 0x80. */
    LineBuffer hexEscape(char c) {
        ensure(4);
        bytes[size++] = '\\';
        bytes[size++] = 'x';
        bytes[size++] = HEX[(c >> 4) & 0xf];
        bytes[size++] = HEX[c & 0xf];
        return this;
    }

    /** The JSON escape of six characters (backslash, u, 00, two hex digits), for a character below 0x80. */
    LineBuffer unicodeEscape(char c) {
        ensure(6);
        bytes[size++] = '\\';
        bytes[size++] = 'u';
        bytes[size++] = '0';
        bytes[size++] = '0';
        bytes[size++] = HEX[(c >> 4) & 0xf];
        bytes[size++] = HEX[c & 0xf];
        return this;
    }

    /**
     * The character at {@code i} of {@code text} as UTF-8 (a surrogate pair as one code point); returns the index of
     * the last character used. A lone surrogate, which has no UTF-8 form, becomes {@code ?}.
     */
    int utf8(String text, int i) {
        char c = text.charAt(i);
        ensure(4);
        if (c < 0x80) {
            bytes[size++] = (byte) c;
        } else if (c < 0x800) {
            bytes[size++] = (byte) (0xc0 | (c >> 6));
            bytes[size++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, text.charAt(i + 1));
            bytes[size++] = (byte) (0xf0 | (cp >> 18));
            bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            bytes[size++] = (byte) (0x80 | (cp & 0x3f));
            return i + 1;
        } else if (Character.isSurrogate(c)) {
            bytes[size++] = '?';
        } else {
            bytes[size++] = (byte) (0xe0 | (c >> 12));
            bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            bytes[size++] = (byte) (0x80 | (c & 0x3f));
        }
        return i;
    }
}
