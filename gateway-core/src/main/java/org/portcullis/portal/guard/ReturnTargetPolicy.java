package org.portcullis.portal.guard;

import org.portcullis.ingress.HexDigit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.config.HostPattern;
import org.portcullis.ingress.IngressRejection;
import org.portcullis.ingress.PathCanonicalizer;

/**
 * Decides whether the {@code rd} ("return destination") value of a portal request may be honoured after sign-in or
 * sign-out (SECURITY-RULES 16). An open redirect on a sign-in page is a phishing tool with the organisation's own
 * address on it, and in single sign-on it is worse: the callback carries a one-time code to whatever host {@code rd}
 * names. So the check is an allow-list, applied to the whole string, and anything it does not recognise goes to the
 * portal's home ({@link PortalOrigin#home()}). Nothing is repaired: a value that would need normalising is refused.
 *
 * <h2>Input</h2>
 * The value exactly as one {@code application/x-www-form-urlencoded} decoding produced it (Netty's
 * {@code QueryStringDecoder} or the form decoder: {@code %XX} and {@code +} decoded once). The portal builds
 * {@code rd} by form-encoding the original URL, so after that one decoding the value is the original URL with its own
 * escapes intact ({@code /a%20b}). The check never decodes the whole value again; a value that still looks encoded
 * ({@code https%3A%2F%2F…}, {@code %2F%2Fevil.com}) is simply not a URL and is refused.
 *
 * <h2>Accepted forms</h2>
 * <ol>
 *   <li>{@code /path[?query]}: the portal host itself (exactly one leading '/').</li>
 *   <li>{@code https://host[:port]/path[?query]}, where
 *     <ul>
 *       <li>the scheme is exactly the portal's, in lower case ({@code https}; {@code http} only for a localhost
 *           portal). {@code HTTPS://} is refused rather than folded: no browser needs it, and every fold is a place
 *           where two readers of one URL disagree.</li>
 *       <li>the host, after lower-casing ASCII letters, is the portal host, exactly one of the configured protected
 *           hosts, or matches a wildcard route {@code *.example.org} with <em>exactly one</em> more label
 *           ({@code a.example.org}, not {@code a.b.example.org}: narrower than routing on purpose, since deep names
 *           under a wildcard are where dangling DNS entries live). No trailing dot, no user info, no '%', no IPv6
 *           literal; an IPv4 literal only if it is itself a configured route host.</li>
 *       <li>the port, explicit or the scheme default, is one of the ports the gateway serves
 *           ({@code allowedPorts}); an explicit port is 1–5 digits without a leading zero.</li>
 *       <li>a path follows the authority.</li>
 *     </ul></li>
 * </ol>
 *
 * <h2>Refused everywhere in the value</h2>
 * More than {@value #MAX_LENGTH} characters; control characters and whitespace (a browser silently drops tab, CR
 * and LF from URLs, so {@code /\t/evil.com} becomes {@code //evil.com}); non-ASCII (IDN and look-alike hosts, U+FF0F
 * full-width slash); '\' (browsers read it as '/' in https URLs, so {@code /\evil.com} is {@code //evil.com}); '#'.
 *
 * <h2>Path and query</h2>
 * The path must pass the ingress's own {@link PathCanonicalizer} (no encoded '/', '\' or '%', no control or
 * non-ASCII escapes, no ';') and already be canonical: no dot segments ({@code /./}, {@code /../}, also
 * {@code %2e}) and no {@code //}. So {@code /%2fevil.com}, {@code /%5cevil.com}, {@code /%252f%252fevil.com} and
 * {@code /%0d%0aSet-Cookie:} are all refused, whichever layer decodes once more. The query is printable ASCII whose
 * every '%' starts a two-hex-digit escape; it is passed on unchanged.
 *
 * <p>Thread-safe and immutable; build one per configuration.
 */
public final class ReturnTargetPolicy {

    /** Longer values are refused: a real URL is far shorter, and a bound keeps the check cheap. */
    public static final int MAX_LENGTH = 2048;
    private static final String WILDCARD_PREFIX = "*";
    private static final int MAX_HOST_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_PORT_DIGITS = 5;
    private static final int MAX_PORT = 65535;
    private static final char FIRST_VISIBLE = 0x21;
    private static final char LAST_VISIBLE = 0x7e;
    private static final char DEL = 0x7f;

    private final PortalOrigin portal;
    private final Set<String> exactHosts;
    private final List<String> wildcardSuffixes;
    private final Set<Integer> allowedPorts;
    private final String schemePrefix;

    /**
     * @param portal         the portal's origin; its host is always an allowed target
     * @param protectedHosts the hosts of the configured routes ({@code RouteConfig.host()})
     * @param allowedPorts   the ports the gateway serves for the portal's scheme (its listeners of that kind and the
     *                       portal's own port, see {@code PortalSite}); an absolute {@code rd} must use one of them,
     *                       explicitly or through the scheme's default, which is refused when no listener serves it
     */
    public ReturnTargetPolicy(PortalOrigin portal, Collection<HostPattern> protectedHosts, Set<Integer> allowedPorts) {
        this.portal = Objects.requireNonNull(portal, "portal");
        Set<String> exact = new HashSet<>();
        List<String> suffixes = new ArrayList<>();
        exact.add(portal.host());
        for (HostPattern pattern : protectedHosts) {
            if (pattern.isWildcard()) {
                suffixes.add(pattern.pattern().substring(WILDCARD_PREFIX.length()));
            } else {
                exact.add(pattern.pattern());
            }
        }
        this.exactHosts = Set.copyOf(exact);
        this.wildcardSuffixes = List.copyOf(suffixes);
        if (allowedPorts.isEmpty()) {
            throw new IllegalArgumentException("ReturnTargetPolicy: at least one allowed port");
        }
        for (int port : allowedPorts) {
            if (port < 1 || port > MAX_PORT) {
                throw new IllegalArgumentException("ReturnTargetPolicy: port out of range");
            }
        }
        this.allowedPorts = Set.copyOf(allowedPorts);
        this.schemePrefix = portal.scheme() + "://";
    }

    /** The target for {@code rd}: the accepted one, or the portal's home. Never null. */
    public ReturnTarget resolve(String rd) {
        return check(rd).targetOr(portal.home());
    }

    /** The verdict for {@code rd} (null or empty counts as {@link ReturnTargetRefusal#ABSENT}). */
    public ReturnTargetVerdict check(String rd) {
        try {
            return new ReturnTargetVerdict.Accepted(parse(rd));
        } catch (Refusal refusal) {
            return new ReturnTargetVerdict.Refused(refusal.reason);
        }
    }

    /** The portal's home: where a refused {@code rd} leads. */
    public ReturnTarget home() {
        return portal.home();
    }

    private ReturnTarget parse(String rd) throws Refusal {
        if (rd == null || rd.isEmpty()) {
            throw new Refusal(ReturnTargetRefusal.ABSENT);
        }
        if (rd.length() > MAX_LENGTH) {
            throw new Refusal(ReturnTargetRefusal.TOO_LONG);
        }
        rejectBadCharacters(rd);
        if (rd.charAt(0) == '/') {
            rejectSchemeRelative(rd);
            return withPathAndQuery(portal.host(), portal.port(), rd);
        }
        if (!rd.startsWith(schemePrefix)) {
            throw new Refusal(hasScheme(rd) ? ReturnTargetRefusal.SCHEME_NOT_ALLOWED : ReturnTargetRefusal.NOT_A_URL);
        }
        int authorityStart = schemePrefix.length();
        int authorityEnd = authorityStart;
        while (authorityEnd < rd.length() && rd.charAt(authorityEnd) != '/' && rd.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        if (authorityEnd == rd.length() || rd.charAt(authorityEnd) != '/') {
            throw new Refusal(ReturnTargetRefusal.MISSING_PATH);
        }
        String authority = rd.substring(authorityStart, authorityEnd);
        rejectAuthorityCharacters(authority);
        int colon = authority.indexOf(':');
        String host = hostOf(colon < 0 ? authority : authority.substring(0, colon));
        int port = colon < 0 ? PortalOrigin.defaultPort(portal.scheme()) : portOf(authority.substring(colon + 1));
        rejectUnprotectedHost(host);
        rejectUnservedPort(port);
        return withPathAndQuery(host, port, rd.substring(authorityEnd));
    }

    private ReturnTarget withPathAndQuery(String host, int port, String pathAndQuery) throws Refusal {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        rejectBadPath(path);
        Optional<String> query = Optional.empty();
        if (question >= 0) {
            String text = pathAndQuery.substring(question + 1);
            rejectBadQuery(text);
            query = Optional.of(text);
        }
        return new ReturnTarget(portal.scheme(), host, port, path, query);
    }

    private static void rejectBadCharacters(String rd) throws Refusal {
        for (int i = 0; i < rd.length(); i++) {
            char c = rd.charAt(i);
            if (c < FIRST_VISIBLE || c == DEL) {
                throw new Refusal(ReturnTargetRefusal.CONTROL_OR_WHITESPACE);
            }
            if (c > DEL) {
                throw new Refusal(ReturnTargetRefusal.NON_ASCII);
            }
            if (c == '\\') {
                throw new Refusal(ReturnTargetRefusal.BACKSLASH);
            }
            if (c == '#') {
                throw new Refusal(ReturnTargetRefusal.FRAGMENT);
            }
        }
    }

    private static void rejectSchemeRelative(String rd) throws Refusal {
        if (rd.length() > 1 && rd.charAt(1) == '/') {
            throw new Refusal(ReturnTargetRefusal.SCHEME_RELATIVE);
        }
    }

    /** RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". */
    private static boolean hasScheme(String rd) {
        int colon = rd.indexOf(':');
        if (colon < 1 || !isAsciiLetter(rd.charAt(0))) {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = rd.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static void rejectAuthorityCharacters(String authority) throws Refusal {
        if (authority.indexOf('@') >= 0) {
            throw new Refusal(ReturnTargetRefusal.USER_INFO);
        }
        if (authority.indexOf('%') >= 0) {
            throw new Refusal(ReturnTargetRefusal.ENCODED_AUTHORITY);
        }
        if (authority.indexOf('[') >= 0 || authority.indexOf(']') >= 0) {
            throw new Refusal(ReturnTargetRefusal.IP_LITERAL);
        }
    }

    /** The lower-cased host, or a refusal for anything but a plain DNS name or dotted IPv4 text. */
    private static String hostOf(String text) throws Refusal {
        if (text.endsWith(".") && text.length() > 1) {
            throw new Refusal(ReturnTargetRefusal.TRAILING_DOT);
        }
        String host = text.toLowerCase(Locale.ROOT);
        if (!isHostNameSyntax(host)) {
            throw new Refusal(ReturnTargetRefusal.MALFORMED_HOST);
        }
        return host;
    }

    /** Lower-case labels of letters, digits, '-' and '_', none empty, within DNS's length limits. */
    static boolean isHostNameSyntax(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i == host.length() ? '.' : host.charAt(i);
            if (c == '.') {
                if (labelLength == 0 || labelLength > MAX_LABEL_LENGTH) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || isDigit(c) || c == '-' || c == '_') {
                labelLength++;
            } else {
                return false;
            }
        }
        return true;
    }

    private static int portOf(String text) throws Refusal {
        if (text.isEmpty() || text.length() > MAX_PORT_DIGITS || text.charAt(0) == '0') {
            throw new Refusal(ReturnTargetRefusal.MALFORMED_PORT);
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                throw new Refusal(ReturnTargetRefusal.MALFORMED_PORT);
            }
            port = port * 10 + (c - '0');
        }
        if (port > MAX_PORT) {
            throw new Refusal(ReturnTargetRefusal.MALFORMED_PORT);
        }
        return port;
    }

    private void rejectUnprotectedHost(String host) throws Refusal {
        if (exactHosts.contains(host)) {
            return;
        }
        for (String suffix : wildcardSuffixes) {
            if (host.length() > suffix.length() && host.endsWith(suffix)
                    && host.lastIndexOf('.', host.length() - suffix.length() - 1) < 0) {
                return;
            }
        }
        throw new Refusal(ReturnTargetRefusal.HOST_NOT_PROTECTED);
    }

    private void rejectUnservedPort(int port) throws Refusal {
        if (!allowedPorts.contains(port)) {
            throw new Refusal(ReturnTargetRefusal.PORT_NOT_ALLOWED);
        }
    }

    /**
     * The ingress's path rules, and canonical already: the decoded path must equal what the ingress would make of
     * it, so it has no dot segments and no '//' (the ingress would silently merge and resolve those).
     */
    private static void rejectBadPath(String path) throws Refusal {
        String canonical;
        try {
            canonical = PathCanonicalizer.canonicalize(path);
        } catch (IngressRejection e) {
            throw new Refusal(ReturnTargetRefusal.PATH_REFUSED);
        }
        if (!canonical.equals(percentDecode(path))) {
            throw new Refusal(ReturnTargetRefusal.PATH_NOT_CANONICAL);
        }
    }

    /** Decodes escapes the canonicaliser has already validated (two hex digits, printable ASCII). */
    private static String percentDecode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                out.append((char) (HexDigit.value(path.charAt(i + 1)) << 4 | HexDigit.value(path.charAt(i + 2))));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void rejectBadQuery(String query) throws Refusal {
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) == '%') {
                if (i + 2 >= query.length() || HexDigit.value(query.charAt(i + 1)) < 0
                        || HexDigit.value(query.charAt(i + 2)) < 0) {
                    throw new Refusal(ReturnTargetRefusal.MALFORMED_QUERY);
                }
                i += 2;
            }
        }
    }


    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Internal control flow: the first rule the value breaks. No stack trace; never leaves this class. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ReturnTargetRefusal reason;

        Refusal(ReturnTargetRefusal reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }
}
