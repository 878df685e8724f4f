package org.portcullis.ingress;

/**
 * Turns the path of an origin-form request-target into the one decoded canonical path that routes and policies match
 * on (SECURITY-RULES 1, 2). {@link PathEncoding#encode(String)} of the result is what the upstream receives, so the
 * policy and the upstream see the same path. Ambiguous input is rejected, never repaired, because every repair is a
 * guess about how some upstream would have read it.
 *
 * <p>Rejected, raw or percent-encoded:
 * <ul>
 *   <li>{@code %2F} ({@link RejectReason#ENCODED_SLASH}): one server reads a segment boundary, another a name
 *       character; the classic way past prefix rules (e.g. Tomcat and IIS/ASP.NET treat it differently).</li>
 *   <li>{@code %5C} ({@link RejectReason#ENCODED_BACKSLASH}) and raw {@code \} ({@link RejectReason#BACKSLASH}):
 *       IIS and other Windows servers treat '\' as '/', so {@code /public\..\admin} would climb.</li>
 *   <li>Control bytes 0x00–0x1F and DEL ({@link RejectReason#CONTROL_CHAR_IN_PATH}): NUL truncates paths in C
 *       upstreams; CR/LF would split headers or logs.</li>
 *   <li>Anything decoding to '%' ({@link RejectReason#DOUBLE_ENCODING}): an upstream that decodes twice would see a
 *       different path than the policy (e.g. {@code %252e%252e} → {@code ..}); IIS's double decoding
 *       (CVE-2001-0333) and CVE-2021-42013 (Apache 2.4.50) are this pattern.</li>
 *   <li>';' ({@link RejectReason#PATH_PARAMETER}): Java servlet containers strip {@code ;params} from segments, so
 *       {@code /admin;x=/} or {@code /..;/} reaches a different resource than a proxy matched (CVE-2016-9879,
 *       CVE-2018-1199 in Spring Security; the Tomcat {@code ..;} traversal).</li>
 *   <li>Raw '#' ({@link RejectReason#FRAGMENT}): a fragment is never sent by a client. An encoded {@code %23} is an
 *       ordinary character and is re-encoded on the way out.</li>
 *   <li>Bytes ≥ 0x80 ({@link RejectReason#NON_ASCII}), including all UTF-8 and overlong forms such as
 *       {@code %C0%AE}: decoders disagree on invalid and overlong UTF-8 (IIS's Unicode traversal, CVE-2000-0884).
 *       Printable ASCII only, like Spring's StrictHttpFirewall.</li>
 *   <li>A '%' not followed by two hex digits ({@link RejectReason#INVALID_PERCENT_ENCODING}).</li>
 *   <li>A {@code ..} that would climb above the root ({@link RejectReason#PATH_ABOVE_ROOT}), where RFC 3986 would
 *       silently clamp.</li>
 * </ul>
 *
 * <p>Then, in this order: every other escape is decoded ({@code %41} → {@code A}, {@code %2E} → {@code .}, so
 * {@code /%2e%2e/} is a {@code ..} segment — the omission behind CVE-2021-41773, Apache 2.4.49); runs of '/' are
 * merged into one; {@code .} and {@code ..} segments are removed as in RFC 3986 §5.2.4, keeping a trailing slash
 * ({@code /a/.} → {@code /a/}). The result starts with '/', contains only printable ASCII (U+0020–U+007E) and never
 * '%', ';', '\' or a dot segment. Queries are not handled here and never take part in path matching.
 *
 * <p>Fast path: a path without '%', dot segments or '//' is returned as the same string, without allocation.
 */
public final class PathCanonicalizer {
    private static final char SLASH = '/';
    private static final int FIRST_NON_ASCII = 0x80;
    private static final int DEL = 0x7F;

    private PathCanonicalizer() {
    }

    /**
     * @param rawPath the path part of an origin-form target, exactly as sent (everything before the first '?')
     * @return the decoded canonical path
     * @throws IngressRejection with the reason of the first rule the path breaks
     */
    public static String canonicalize(String rawPath) throws IngressRejection {
        int length = rawPath.length();
        if (length == 0 || rawPath.charAt(0) != SLASH) {
            throw new IngressRejection(RejectReason.INVALID_TARGET, "path must start with '/'");
        }
        boolean needsWork = false;
        char previous = 0;
        for (int i = 0; i < length; i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                needsWork = true;
                checkDecoded(decodeEscape(rawPath, i));
                i += 2;
                previous = 0;
                continue;
            }
            checkRaw(c);
            if (previous == SLASH && (c == SLASH || c == '.')) {
                needsWork = true;
            }
            previous = c;
        }
        if (!needsWork) {
            return rawPath;
        }
        return removeDotSegments(percentDecode(rawPath));
    }

    private static void checkRaw(char c) throws IngressRejection {
        if (c < 0x20 || c == DEL) {
            rejectControlChar();
        }
        if (c >= FIRST_NON_ASCII) {
            rejectNonAscii();
        }
        switch (c) {
            case ' ':
                throw new IngressRejection(RejectReason.INVALID_TARGET, "space in path");
            case '\\':
                throw new IngressRejection(RejectReason.BACKSLASH, "backslash in path");
            case ';':
                rejectPathParameter();
                break;
            case '#':
                throw new IngressRejection(RejectReason.FRAGMENT, "fragment in request target");
            default:
                break;
        }
    }

    private static void checkDecoded(int b) throws IngressRejection {
        if (b < 0x20 || b == DEL) {
            rejectControlChar();
        }
        if (b >= FIRST_NON_ASCII) {
            rejectNonAscii();
        }
        switch (b) {
            case '/':
                throw new IngressRejection(RejectReason.ENCODED_SLASH, "encoded slash in path");
            case '\\':
                throw new IngressRejection(RejectReason.ENCODED_BACKSLASH, "encoded backslash in path");
            case '%':
                throw new IngressRejection(RejectReason.DOUBLE_ENCODING, "encoded percent sign in path");
            case ';':
                rejectPathParameter();
                break;
            default:
                break;
        }
    }

    private static void rejectControlChar() throws IngressRejection {
        throw new IngressRejection(RejectReason.CONTROL_CHAR_IN_PATH, "control character in path");
    }

    private static void rejectNonAscii() throws IngressRejection {
        throw new IngressRejection(RejectReason.NON_ASCII, "non-ASCII byte in path");
    }

    private static void rejectPathParameter() throws IngressRejection {
        throw new IngressRejection(RejectReason.PATH_PARAMETER, "path parameter (';') in path");
    }

    /** The byte value of the escape starting at {@code percentIndex}. */
    private static int decodeEscape(String s, int percentIndex) throws IngressRejection {
        if (percentIndex + 2 >= s.length()) {
            rejectInvalidEscape();
        }
        int hi = HexDigit.value(s.charAt(percentIndex + 1));
        int lo = HexDigit.value(s.charAt(percentIndex + 2));
        if (hi < 0 || lo < 0) {
            rejectInvalidEscape();
        }
        return (hi << 4) | lo;
    }

    private static void rejectInvalidEscape() throws IngressRejection {
        throw new IngressRejection(RejectReason.INVALID_PERCENT_ENCODING, "'%' not followed by two hex digits");
    }


    /** Decodes escapes already validated by the scan: every decoded byte is printable ASCII and not '/'. */
    private static String percentDecode(String s) throws IngressRejection {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.append((char) decodeEscape(s, i));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * RFC 3986 §5.2.4 on a decoded path, after merging '/' runs; a {@code ..} at the root is refused instead of
     * being dropped. Invariant: before each segment is handled, {@code out} ends with '/'.
     */
    private static String removeDotSegments(String path) throws IngressRejection {
        int length = path.length();
        StringBuilder out = new StringBuilder(length);
        out.append(SLASH);
        int start = 1;
        while (start <= length) {
            int end = path.indexOf(SLASH, start);
            boolean last = end < 0;
            if (last) {
                end = length;
            }
            int segmentLength = end - start;
            if (segmentLength == 0 || (segmentLength == 1 && path.charAt(start) == '.')) {
                // empty segment ('//' or the trailing slash) or '.': nothing to add, out already ends with '/'
            } else if (segmentLength == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                if (out.length() == 1) {
                    throw new IngressRejection(RejectReason.PATH_ABOVE_ROOT, "'..' climbs above the root");
                }
                out.setLength(out.lastIndexOf("/", out.length() - 2) + 1);
            } else {
                out.append(path, start, end);
                if (!last) {
                    out.append(SLASH);
                }
            }
            start = end + 1;
        }
        return out.toString();
    }
}
