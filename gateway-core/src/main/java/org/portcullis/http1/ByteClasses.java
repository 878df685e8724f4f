package org.portcullis.http1;

/**
 * Byte classes of the HTTP/1 grammar as one lookup table, so validation loops do one array load per byte instead of
 * a chain of comparisons. Index with {@code b & 0xFF}.
 */
final class ByteClasses {
    /** RFC 9110 §5.6.2 tchar. */
    static final byte TCHAR = 1;
    /** RFC 9110 §5.5 field-vchar, SP, HTAB and obs-text: what may appear inside a field value. */
    static final byte FIELD_VALUE = 2;
    /** RFC 5234 HEXDIG. */
    static final byte HEXDIG = 4;
    /** RFC 9110 §5.6.4 qdtext. */
    static final byte QDTEXT = 8;
    /** Printable US-ASCII without SP (0x21-0x7E): what the decoder accepts in a request target. */
    static final byte TARGET = 16;

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final byte[] TABLE = new byte[256];

    static {
        String tchar = "!#$%&'*+-.^_`|~";
        for (int c = 0; c < 256; c++) {
            int classes = 0;
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (alnum || (c < 128 && tchar.indexOf(c) >= 0)) {
                classes |= TCHAR;
            }
            boolean vchar = c >= 0x21 && c <= 0x7E;
            boolean obsText = c >= 0x80;
            if (vchar || obsText || c == SP || c == HTAB) {
                classes |= FIELD_VALUE;
            }
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                classes |= HEXDIG;
            }
            if (c == HTAB || c == SP || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || obsText) {
                classes |= QDTEXT;
            }
            if (vchar) {
                classes |= TARGET;
            }
            TABLE[c] = (byte) classes;
        }
    }

    private ByteClasses() {
    }

    static boolean is(byte b, byte byteClass) {
        return (TABLE[b & 0xFF] & byteClass) != 0;
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }

    /** The value of a hex digit; only call on bytes of class {@link #HEXDIG}. */
    static int hexValue(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
