package org.portcullis.ingress;

/**
 * Splits a request-target into scheme, authority, path and query (RFC 9112 §3.2), refusing every form a reverse
 * proxy has no business accepting (SECURITY-RULES 2, 9).
 *
 * <ul>
 *   <li>origin-form {@code /path?query}: the normal case.</li>
 *   <li>absolute-form {@code http://authority/path?query} (scheme case-insensitive, http or https only): accepted
 *       here; the facade then requires its authority to equal the Host header's
 *       ({@link RejectReason#ABSOLUTE_FORM_HOST_MISMATCH}), so the gateway never acts as a forward proxy.
 *       An empty path becomes "/".</li>
 *   <li>asterisk-form {@code *} (server-wide OPTIONS): refused, {@link RejectReason#INVALID_TARGET}; no upstream
 *       needs it and it matches no path rule.</li>
 *   <li>authority-form (CONNECT): the method is refused earlier with {@link RejectReason#CONNECT_METHOD}; as a
 *       target of any other method it is {@link RejectReason#INVALID_TARGET}.</li>
 * </ul>
 *
 * <p>The query is everything after the first '?'. It is kept raw and forwarded as sent, and never used for path
 * matching; it must be printable ASCII without space or '#' ({@link RejectReason#INVALID_QUERY}). A raw '#' in the
 * path is a {@link RejectReason#FRAGMENT}.
 */
public final class RequestTargetParser {
    private static final String HTTP = "http";
    private static final String HTTPS = "https";
    private static final String SCHEME_SEPARATOR = "://";

    private RequestTargetParser() {
    }

    public static RequestTarget parse(String target) throws IngressRejection {
        if (target.isEmpty()) {
            rejectTarget("empty request target");
        }
        if (target.charAt(0) == '/') {
            return splitPathAndQuery(null, null, target, 0);
        }
        if (target.regionMatches(true, 0, HTTP + SCHEME_SEPARATOR, 0, HTTP.length() + SCHEME_SEPARATOR.length())) {
            return parseAbsolute(HTTP, target, HTTP.length() + SCHEME_SEPARATOR.length());
        }
        if (target.regionMatches(true, 0, HTTPS + SCHEME_SEPARATOR, 0, HTTPS.length() + SCHEME_SEPARATOR.length())) {
            return parseAbsolute(HTTPS, target, HTTPS.length() + SCHEME_SEPARATOR.length());
        }
        if (target.equals("*")) {
            rejectTarget("asterisk-form is not supported");
        }
        rejectTarget("request target is neither origin-form nor http(s) absolute-form");
        return null;
    }

    private static RequestTarget parseAbsolute(String scheme, String target, int authorityStart)
            throws IngressRejection {
        int end = authorityStart;
        while (end < target.length()) {
            char c = target.charAt(end);
            if (c == '/' || c == '?') {
                break;
            }
            if (c == '#') {
                throw new IngressRejection(RejectReason.FRAGMENT, "fragment in request target");
            }
            end++;
        }
        String authority = target.substring(authorityStart, end);
        if (end == target.length()) {
            return new RequestTarget(scheme, authority, "/", null);
        }
        if (target.charAt(end) == '?') {
            return new RequestTarget(scheme, authority, "/", checkQuery(target, end + 1));
        }
        return splitPathAndQuery(scheme, authority, target, end);
    }

    private static RequestTarget splitPathAndQuery(String scheme, String authority, String target, int pathStart)
            throws IngressRejection {
        int question = target.indexOf('?', pathStart);
        if (question < 0) {
            String path = pathStart == 0 ? target : target.substring(pathStart);
            return new RequestTarget(scheme, authority, path, null);
        }
        return new RequestTarget(scheme, authority, target.substring(pathStart, question),
                checkQuery(target, question + 1));
    }

    /** Printable ASCII except '#'; a space or control byte would split the request line or a log line. */
    private static String checkQuery(String target, int from) throws IngressRejection {
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '#') {
                throw new IngressRejection(RejectReason.INVALID_QUERY, "query is not printable ASCII without '#'");
            }
        }
        return target.substring(from);
    }

    private static void rejectTarget(String detail) throws IngressRejection {
        throw new IngressRejection(RejectReason.INVALID_TARGET, detail);
    }
}
