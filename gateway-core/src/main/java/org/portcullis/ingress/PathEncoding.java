package org.portcullis.ingress;

/**
 * Percent-encodes a decoded canonical path for forwarding: every byte outside RFC 3986 {@code pchar} (except '/')
 * is encoded, so the upstream decodes exactly the path the policy saw.
 */
public final class PathEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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
            } else {
                if (out == null) {
                    out = new StringBuilder(decodedPath.length() + 8).append(decodedPath, 0, i);
                }
                out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out == null ? decodedPath : out.toString();
    }

    /** RFC 3986 pchar plus '/', excluding '%' (a decoded path never keeps escapes) and ';' (rejected earlier). */
    static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@/".indexOf(c) >= 0;
    }
}
