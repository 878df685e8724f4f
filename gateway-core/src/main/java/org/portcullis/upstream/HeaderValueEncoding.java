package org.portcullis.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns identity values (user names, display names, e-mail addresses, group names) into header values that cannot
 * split a header, end a request or be read two ways.
 *
 * <p>The value's UTF-8 bytes are kept as they are when they are visible ASCII ({@code 0x21}-{@code 0x7E}) or an inner
 * space; every other byte — control characters (CR, LF, NUL, TAB, DEL), every byte of a non-ASCII character, a space
 * at the start or end (which HTTP would trim as OWS, RFC 9110 §5.5) — and the characters {@code %} and {@code +} are
 * written as {@code %XX} with upper-case hex digits (RFC 3986 §2.1 percent-encoding). In a list value
 * ({@code Remote-Groups}) a {@code ,} inside an item is written {@code %2C} too, so the comma only ever separates
 * items. So "Zoë Ågren" becomes {@code Zo%C3%AB %C3%85gren}.
 *
 * <p>Encoding {@code %} makes the encoding reversible, and encoding {@code +} makes every common percent-decoder
 * agree: Python's {@code urllib.parse.unquote}, JavaScript's {@code decodeURIComponent} and Java's form decoder
 * {@code URLDecoder} (which reads {@code +} as a space) all give back the original text. Plain ASCII names (the usual
 * case: {@code alice}, {@code clinicians}) are unchanged.
 */
final class HeaderValueEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final char LIST_SEPARATOR = ',';

    private HeaderValueEncoding() {
    }

    /** One value. */
    static String encode(String value) {
        return encode(value, false);
    }

    /** The items encoded one by one and joined with {@code ,} (no spaces); an empty list gives an empty value. */
    static String encodeList(List<String> items) {
        StringBuilder out = new StringBuilder();
        for (String item : items) {
            if (out.length() > 0) {
                out.append(LIST_SEPARATOR);
            }
            out.append(encode(item, true));
        }
        return out.toString();
    }

    private static String encode(String value, boolean listItem) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (isLiteral(b, i == 0 || i == bytes.length - 1, listItem)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isLiteral(int b, boolean atEdge, boolean listItem) {
        if (b == ' ') {
            return !atEdge;
        }
        if (b < 0x21 || b > 0x7e || b == '%' || b == '+') {
            return false;
        }
        return !(listItem && b == LIST_SEPARATOR);
    }
}
