package org.portcullis.ingress;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes a decoded canonical path for forwarding: every character outside RFC 3986 {@code pchar} (except
 * '/') is encoded, so the upstream decodes exactly the path the policy saw (SECURITY-RULES 1).
 *
 * <p>Round trip: for every path {@code p} that {@link PathCanonicalizer} produces,
 * {@code PathCanonicalizer.canonicalize(encode(p))} equals {@code p}. In particular '%' becomes {@code %25}, '?'
 * {@code %3F}, '#' {@code %23}, a space {@code %20}, and '"', '&lt;', '&gt;', '[', ']', '^', '`', '{', '|', '}'
 * are encoded although a canonical path may hold them (RFC 3986 §2.2 does not allow them raw). ';' and '\' are
 * encoded too, although canonical paths never contain them. Characters above U+007F (which canonical paths never
 * contain either) are encoded as their UTF-8 bytes rather than silently truncated.
 */
public final class PathEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String PCHAR_PUNCTUATION = "-._~!$&'()*+,=:@/";
    private static final boolean[] RAW = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            RAW[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            RAW[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            RAW[c] = true;
        }
        for (int i = 0; i < PCHAR_PUNCTUATION.length(); i++) {
            RAW[PCHAR_PUNCTUATION.charAt(i)] = true;
        }
    }

    private PathEncoding() {
    }

    public static String encode(String decodedPath) {
        StringBuilder out = null;
        for (int i = 0; i < decodedPath.length(); i++) {
            char c = decodedPath.charAt(i);
            if (isPathChar(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(decodedPath.length() + 8).append(decodedPath, 0, i);
            }
            if (c < 0x80) {
                appendEscaped(out, c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < decodedPath.length() ? i + 2 : i + 1;
                for (byte b : decodedPath.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    appendEscaped(out, b & 0xFF);
                }
                i = end - 1;
            }
        }
        return out == null ? decodedPath : out.toString();
    }

    private static void appendEscaped(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    /** RFC 3986 pchar plus '/', excluding '%' (a decoded path never keeps escapes) and ';' (rejected earlier). */
    static boolean isPathChar(char c) {
        return c < 128 && RAW[c];
    }
}
