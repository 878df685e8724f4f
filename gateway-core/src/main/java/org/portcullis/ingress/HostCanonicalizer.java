package org.portcullis.ingress;

import io.netty.util.NetUtil;

/**
 * Canonicalises a Host header value or the authority of an absolute-form target (SECURITY-RULES 9) into the
 * {@link HostAndPort} that routes and policies match on. Two spellings of one host must never reach two different
 * decisions, and anything that is not plainly one host is refused with {@link RejectReason#INVALID_HOST}.
 *
 * <p>Rules (RFC 3986 §3.2.2, RFC 9110 §7.2, RFC 1035/1123):
 * <ul>
 *   <li>Lower-cased (host names are case-insensitive); exactly one trailing dot removed ({@code example.org.} is
 *       the same name as {@code example.org} in DNS, yet would miss a string rule).</li>
 *   <li>A name is letters, digits, '-', '.' and '_' only. '_' is accepted because internal Windows and container
 *       names use it; it creates no ambiguity. Percent-encoding, '@' (userinfo, the {@code http://trusted@evil}
 *       trick), spaces, and every other character are refused.</li>
 *   <li>No empty labels ({@code a..b}, a leading dot), labels of at most 63 characters, at most 253 characters.</li>
 *   <li>A name whose last label is numeric or hex-like ({@code 127.1}, {@code 0x7f.0.0.1}, {@code 010.0.0.1})
 *       must be a canonical dotted-quad IPv4 address: browsers and resolvers read those shorthand forms as
 *       addresses, a host rule would read them as names.</li>
 *   <li>IPv6 only in brackets, hex digits, ':' and '.' only (no zone id), printed in RFC 5952 form so that
 *       {@code [0:0::1]} and {@code [::1]} are one host. {@code IPvFuture} is refused.</li>
 *   <li>Port: after ':' one to five ASCII digits, 1–65535; no sign, no spaces, not empty. Without a port the scheme
 *       default applies.</li>
 * </ul>
 */
public final class HostCanonicalizer {
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_PORT_DIGITS = 5;
    private static final int MAX_PORT = 65535;
    private static final int MAX_AUTHORITY_LENGTH = MAX_NAME_LENGTH + 1 + 1 + MAX_PORT_DIGITS;

    private HostCanonicalizer() {
    }

    /**
     * @param authority   the Host field value (OWS already trimmed by the decoder) or an absolute-form authority
     * @param defaultPort the port implied by the scheme when the authority has none
     */
    public static HostAndPort canonicalize(String authority, int defaultPort) throws IngressRejection {
        int length = authority.length();
        if (length == 0 || length > MAX_AUTHORITY_LENGTH + 2) {
            rejectHost("empty or overlong host");
        }
        if (authority.charAt(0) == '[') {
            return canonicalizeIpv6(authority, defaultPort);
        }
        int colon = authority.indexOf(':');
        if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
            rejectHost("IPv6 address without brackets");
        }
        String name = colon < 0 ? authority : authority.substring(0, colon);
        int port = colon < 0 ? defaultPort : parsePort(authority, colon + 1);
        return new HostAndPort(canonicalName(name), port);
    }

    private static HostAndPort canonicalizeIpv6(String authority, int defaultPort) throws IngressRejection {
        int close = authority.indexOf(']');
        if (close < 0) {
            rejectHost("unterminated IPv6 literal");
        }
        String literal = authority.substring(1, close);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (!(isHexDigit(c) || c == ':' || c == '.')) {
                rejectHost("invalid character in IPv6 literal");
            }
        }
        byte[] bytes = literal.indexOf(':') < 0 || !NetUtil.isValidIpV6Address(literal)
                ? null : NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null || bytes.length != 16) {
            rejectHost("invalid IPv6 literal");
        }
        int port = defaultPort;
        if (close + 1 < authority.length()) {
            if (authority.charAt(close + 1) != ':') {
                rejectHost("garbage after IPv6 literal");
            }
            port = parsePort(authority, close + 2);
        }
        return new HostAndPort(NetUtil.bytesToIpAddress(bytes), port);
    }

    private static int parsePort(String s, int from) throws IngressRejection {
        int digits = s.length() - from;
        if (digits < 1 || digits > MAX_PORT_DIGITS) {
            rejectHost("port must be 1 to 5 digits");
        }
        int port = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                rejectHost("port must be digits only");
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > MAX_PORT) {
            rejectHost("port out of range");
        }
        return port;
    }

    /** Validates a reg-name or IPv4 address, lower-cases it and removes one trailing dot. */
    private static String canonicalName(String name) throws IngressRejection {
        int end = name.length();
        if (end > 0 && name.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0 || end > MAX_NAME_LENGTH) {
            rejectHost("empty or overlong host name");
        }
        boolean hasUpper = false;
        int labelStart = 0;
        int lastLabelStart = 0;
        for (int i = 0; i <= end; i++) {
            char c = i == end ? '.' : name.charAt(i);
            if (c == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0 || labelLength > MAX_LABEL_LENGTH) {
                    rejectHost("empty or overlong label in host name");
                }
                lastLabelStart = labelStart;
                labelStart = i + 1;
            } else if (c >= 'A' && c <= 'Z') {
                hasUpper = true;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                rejectHost("invalid character in host name");
            }
        }
        String host = end == name.length() ? name : name.substring(0, end);
        if (hasUpper) {
            host = toLowerAscii(host);
        }
        if (looksNumeric(host, lastLabelStart) && !isCanonicalIpv4(host)) {
            rejectHost("numeric host name that is not a dotted-quad IPv4 address");
        }
        return host;
    }

    private static boolean looksNumeric(String host, int lastLabelStart) {
        char first = host.charAt(lastLabelStart);
        if (first == '0' && lastLabelStart + 1 < host.length() && host.charAt(lastLabelStart + 1) == 'x') {
            return true;
        }
        for (int i = lastLabelStart; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Four decimal octets 0–255 without leading zeros. */
    static boolean isCanonicalIpv4(String s) {
        int octets = 0;
        int i = 0;
        int length = s.length();
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i < length) {
                if (s.charAt(i) != '.' || i == length - 1) {
                    return false;
                }
                i++;
            }
        }
        return octets == 4;
    }

    private static String toLowerAscii(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static void rejectHost(String detail) throws IngressRejection {
        throw new IngressRejection(RejectReason.INVALID_HOST, detail);
    }
}
