package org.portcullis.totp;

import java.io.ByteArrayOutputStream;

/**
 * The RFC 4648 §6 Base32 alphabet ({@code A-Z2-7}), as used by the Key Uri Format for TOTP secrets.
 *
 * <p>Strict on purpose: decoding accepts only the upper-case alphabet, with or without trailing {@code =} padding,
 * and refuses anything else (lower case, spaces, padding in the middle, wrong padding length, non-zero trailing bits).
 * Lenient input handling belongs to whoever reads a human's typing, not to the codec.
 */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char PAD = '=';
    private static final int BITS_PER_CHAR = 5;
    private static final int BLOCK_CHARS = 8;

    private Base32() {
    }

    /** Encodes with padding to a multiple of eight characters (RFC 4648 §6). */
    public static String encode(byte[] data) {
        return encode(data, true);
    }

    /** Encodes without trailing padding, the form authenticator apps expect in {@code secret=}. */
    public static String encodeUnpadded(byte[] data) {
        return encode(data, false);
    }

    private static String encode(byte[] data, boolean pad) {
        StringBuilder out = new StringBuilder((data.length + 4) / 5 * BLOCK_CHARS);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= BITS_PER_CHAR) {
                out.append(ALPHABET[(buffer >>> (bits - BITS_PER_CHAR)) & 0x1F]);
                bits -= BITS_PER_CHAR;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (BITS_PER_CHAR - bits)) & 0x1F]);
        }
        if (pad) {
            while (out.length() % BLOCK_CHARS != 0) {
                out.append(PAD);
            }
        }
        return out.toString();
    }

    /**
     * Decodes upper-case Base32, padded or not.
     *
     * @throws IllegalArgumentException naming the index of the first bad character (never the input itself, which
     *     may be a secret)
     */
    public static byte[] decode(String text) {
        int end = rejectBadPadding(text);
        rejectImpossibleLength(end);
        ByteArrayOutputStream out = new ByteArrayOutputStream(end * BITS_PER_CHAR / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < end; i++) {
            int value = valueOf(text.charAt(i), i);
            buffer = (buffer << BITS_PER_CHAR) | value;
            bits += BITS_PER_CHAR;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("Base32: non-zero trailing bits");
        }
        return out.toByteArray();
    }

    /** Returns the length of the data part; padding may only be trailing and must complete an 8-character block. */
    private static int rejectBadPadding(String text) {
        int end = text.indexOf(PAD);
        if (end < 0) {
            return text.length();
        }
        for (int i = end; i < text.length(); i++) {
            if (text.charAt(i) != PAD) {
                throw new IllegalArgumentException("Base32: character after padding at index " + i);
            }
        }
        if (text.length() % BLOCK_CHARS != 0) {
            throw new IllegalArgumentException("Base32: padded input must be a multiple of 8 characters");
        }
        return end;
    }

    /** Data lengths of 1, 3 and 6 modulo 8 cannot come from whole bytes (RFC 4648 §6 lists the valid ones). */
    private static void rejectImpossibleLength(int dataChars) {
        int rest = dataChars % BLOCK_CHARS;
        if (rest == 1 || rest == 3 || rest == 6) {
            throw new IllegalArgumentException("Base32: impossible length " + dataChars);
        }
    }

    private static int valueOf(char c, int index) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        throw new IllegalArgumentException("Base32: invalid character code " + (int) c + " at index " + index);
    }
}
