package org.portcullis.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host names and listen addresses. Only DNS names (RFC 1123 labels), IPv4 literals and bracketed IPv6 literals pass;
 * nothing here ever resolves a name.
 */
final class HostSyntax {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final int MAX_NAME_LENGTH = 253;
    private static final String WILDCARD_PREFIX = "*.";
    private static final String LOCALHOST = "localhost";

    private HostSyntax() {
    }

    /**
     * A route or rule host: lower-cased, without trailing dot. {@code *.example.org} only when
     * {@code allowWildcard}.
     */
    static Optional<String> hostPattern(String text, boolean allowWildcard) {
        String host = text.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (allowWildcard && host.startsWith(WILDCARD_PREFIX)) {
            return isDnsName(host.substring(WILDCARD_PREFIX.length())) ? Optional.of(host) : Optional.empty();
        }
        return isHost(host) ? Optional.of(host) : Optional.empty();
    }

    /**
     * {@code IPv4:PORT}, {@code [IPv6]:PORT} or {@code localhost:PORT}, port 0 to 65535 (0 asks the kernel for a free
     * port). Other names are refused: a name can resolve to several addresses, and {@link HostPort#isLoopback()}
     * must never take a name such as {@code 127.0.0.1.example.org} for the loopback address.
     */
    static Optional<HostPort> listenAddress(String text) {
        return splitHostPort(text).flatMap(split -> {
            String hostPart = split.host();
            if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
                String inner = hostPart.substring(1, hostPart.length() - 1);
                return isIpv6(inner) ? Optional.of(new HostPort(inner, split.port())) : Optional.empty();
            }
            return isIpv4(hostPart) || hostPart.equals(LOCALHOST)
                    ? Optional.of(new HostPort(hostPart, split.port())) : Optional.empty();
        });
    }

    /**
     * {@code HOST:PORT} of a server to connect to (a syslog receiver): a DNS name, an IPv4 literal or a bracketed IPv6
     * literal, and a port from 1 to 65535. The host is kept lower-case and without brackets.
     */
    static Optional<HostPort> connectAddress(String text) {
        return splitHostPort(text).filter(split -> split.port() >= 1 && isHost(split.host())).map(split -> {
            String hostPart = split.host();
            boolean bracketed = hostPart.startsWith("[");
            return new HostPort(bracketed ? hostPart.substring(1, hostPart.length() - 1) : hostPart, split.port());
        });
    }

    /**
     * {@code HOST:PORT} split at the last colon: the host part lower-case and as written (brackets kept), the port 0
     * to 65535 in decimal digits. Empty when there is no host part or no such port.
     */
    private static Optional<Split> splitHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String portPart = text.substring(colon + 1);
        if (!ALL_DIGITS.matcher(portPart).matches() || portPart.length() > 5) {
            return Optional.empty();
        }
        int port = Integer.parseInt(portPart);
        if (port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new Split(text.substring(0, colon).toLowerCase(Locale.ROOT), port));
    }

    /** The two parts of {@code HOST:PORT} before the host part is checked. */
    private record Split(String host, int port) {
    }

    /** A DNS name, an IPv4 literal or a bracketed IPv6 literal, already lower-case. */
    static boolean isHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpv6(host.substring(1, host.length() - 1));
        }
        return isIpv4(host) || isDnsName(host);
    }

    static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // An all-numeric last label is an IPv4 literal gone wrong (999.1.1.1), never a name.
        return !ALL_DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    static boolean isIpv4(String host) {
        byte[] address = host.indexOf(':') < 0 ? Cidr.parseNumericAddress(host) : null;
        return address != null && address.length == 4;
    }

    static boolean isIpv6(String host) {
        byte[] address = host.indexOf(':') >= 0 ? Cidr.parseNumericAddress(host) : null;
        return address != null && address.length == 16;
    }
}
