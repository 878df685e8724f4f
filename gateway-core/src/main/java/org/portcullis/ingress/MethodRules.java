package org.portcullis.ingress;

/**
 * Which request methods the gateway accepts (RFC 9110 §9). A method must be a token (RFC 9110 §5.6.2) of at most
 * {@value #MAX_METHOD_LENGTH} characters with no lower-case letters, else {@link RejectReason#INVALID_METHOD}.
 *
 * <ul>
 *   <li>Lower case is refused although methods are case-sensitive: some upstream frameworks compare methods
 *       case-insensitively, so {@code get} could be served as GET while a method rule saw an unknown method. Every
 *       registered method is upper case.</li>
 *   <li>CONNECT is refused with 405 ({@link RejectReason#CONNECT_METHOD}): the gateway is never a forward proxy or
 *       tunnel (SECURITY-RULES 9).</li>
 *   <li>TRACE, and TRACK (IIS's private equivalent), are refused with 405 ({@link RejectReason#TRACE_METHOD}): the
 *       upstream would echo the request it received, including the identity headers the gateway adds and any
 *       cookies, back into the client's page (Cross-Site Tracing).</li>
 * </ul>
 */
public final class MethodRules {
    static final int MAX_METHOD_LENGTH = 32;
    private static final String CONNECT = "CONNECT";
    private static final String TRACE = "TRACE";
    private static final String TRACK = "TRACK";

    private MethodRules() {
    }

    public static void check(String method) throws IngressRejection {
        int length = method.length();
        if (length == 0 || length > MAX_METHOD_LENGTH) {
            rejectMethod();
        }
        for (int i = 0; i < length; i++) {
            char c = method.charAt(i);
            if (!HttpTokens.isTokenChar(c) || (c >= 'a' && c <= 'z')) {
                rejectMethod();
            }
        }
        if (method.equals(CONNECT)) {
            throw new IngressRejection(RejectReason.CONNECT_METHOD, "CONNECT is not supported");
        }
        if (method.equals(TRACE) || method.equals(TRACK)) {
            throw new IngressRejection(RejectReason.TRACE_METHOD, "TRACE and TRACK are not supported");
        }
    }

    private static void rejectMethod() throws IngressRejection {
        throw new IngressRejection(RejectReason.INVALID_METHOD, "method is not an upper-case token");
    }
}
