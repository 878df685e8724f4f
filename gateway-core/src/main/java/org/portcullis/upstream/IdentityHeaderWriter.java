package org.portcullis.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.portcullis.config.IdentityHeaders;
import org.portcullis.config.JwtAssertionConfig;
import org.portcullis.config.RouteConfig;
import org.portcullis.identity.User;
import org.portcullis.ingress.GatewayHeaderNames;
import org.portcullis.ingress.HeaderNameSet;

/**
 * Writes the identity headers of one route onto a request about to be forwarded (SECURITY-RULES 6).
 *
 * <h2>Removes</h2>
 * Every copy of every identity header name the gateway manages, in every spelling ({@link HeaderNameSet}: any case,
 * '_' or any other odd character for '-'): the built-in list {@link GatewayHeaderNames#IDENTITY}, both families
 * ({@link IdentityHeaders#REMOTE}, {@link IdentityHeaders#X_FORWARDED}), the default JWT header
 * {@value JwtAssertionConfig#DEFAULT_HEADER}, this route's own names and its JWT header. Another route's custom names
 * are not this route's business: ingress drops those for every route ({@link #configuredNames}).
 * Ingress already dropped the built-in names from the client's headers; doing it again here, per route, also catches
 * the route's custom names and keeps this class correct on its own, whatever ran before it. The gateway's
 * forwarding headers ({@code X-Forwarded-For}, {@code -Proto}, {@code -Host}) are never touched: the config refuses
 * them as identity names.
 *
 * <h2>Sets</h2>
 * For a signed-in user ({@link #write}): user → the canonical user name, groups → the groups comma-separated (set,
 * possibly empty, whenever configured), name → the display name, email → the address (only when the user has one),
 * and the JWT header when the route has one. Values go through {@link HeaderValueEncoding}: visible ASCII stays,
 * anything else (CR, LF, NUL, non-ASCII, {@code %}, {@code +}, an edge space, a comma inside a group name) is
 * percent-encoded, so no value can split a header.
 *
 * <p>For a request without a user (a {@code bypass} rule) {@link #strip} only removes.
 *
 * <p>Immutable and thread-safe; build one per route when a config snapshot is built, not per request.
 */
public final class IdentityHeaderWriter {
    private final IdentityHeaders names;
    private final String jwtHeader;
    private final HeaderNameSet managed;
    private final List<String> managedNames;

    /**
     * @param names the route's identity header names
     * @param jwt   the route's JWT assertion settings, or null when it sends none
     */
    public IdentityHeaderWriter(IdentityHeaders names, JwtAssertionConfig jwt) {
        this.names = Objects.requireNonNull(names, "names");
        this.jwtHeader = jwt == null ? null : jwt.header();
        Set<String> all = new LinkedHashSet<>(GatewayHeaderNames.IDENTITY);
        all.addAll(IdentityHeaders.REMOTE.names());
        all.addAll(IdentityHeaders.X_FORWARDED.names());
        all.addAll(names.names());
        all.add(JwtAssertionConfig.DEFAULT_HEADER);
        if (jwtHeader != null) {
            all.add(jwtHeader);
        }
        this.managedNames = List.copyOf(all);
        this.managed = new HeaderNameSet(all);
    }

    /** The writer of {@code route}. */
    public static IdentityHeaderWriter forRoute(RouteConfig route) {
        return new IdentityHeaderWriter(route.identityHeaders(), route.jwt());
    }

    /**
     * Every name some route of {@code routes} sets besides the built-in ones. {@code GatewaySnapshot} gives them to
     * its ingress ({@code new RequestCanonicalizer(names)}), so client copies of every route's names are dropped on
     * every route, before routing, and the set follows each reload.
     */
    public static List<String> configuredNames(List<RouteConfig> routes) {
        Set<String> names = new LinkedHashSet<>();
        for (RouteConfig route : routes) {
            names.addAll(route.identityHeaders().names());
            if (route.jwt() != null) {
                names.add(route.jwt().header());
            }
        }
        return List.copyOf(names);
    }

    /** Every name this writer removes, in their usual spelling (for tests and docs). */
    public List<String> managedNames() {
        return managedNames;
    }

    /**
     * Removes every managed identity header, then sets this route's headers for {@code user}.
     *
     * @param assertion the signed JWT for this request ({@link JwtSigner#sign}), required exactly when the route
     *                  has {@code jwt}
     * @throws IllegalStateException when {@code assertion} is missing for a route with {@code jwt} or given for one
     *                               without: a programming error, which must end in a refusal, never a request
     *                               forwarded without the assertion the upstream relies on
     */
    public void write(HttpHeaders headers, User user, String assertion) {
        Objects.requireNonNull(user, "user");
        if ((jwtHeader == null) != (assertion == null)) {
            throw new IllegalStateException("IdentityHeaderWriter: the route "
                    + (jwtHeader == null ? "has no jwt but an assertion was given" : "has jwt but no assertion"));
        }
        strip(headers);
        names.user().ifPresent(n -> headers.set(n, HeaderValueEncoding.encode(user.username())));
        names.groups().ifPresent(n -> headers.set(n, HeaderValueEncoding.encodeList(user.groups())));
        names.name().ifPresent(n -> headers.set(n, HeaderValueEncoding.encode(user.displayName())));
        if (user.email().isPresent()) {
            names.email().ifPresent(n -> headers.set(n, HeaderValueEncoding.encode(user.email().get())));
        }
        if (jwtHeader != null) {
            headers.set(jwtHeader, assertion);
        }
    }

    /** Removes every copy of every managed identity header, in every spelling; sets nothing. */
    public void strip(HttpHeaders headers) {
        // Walks the entries instead of headers.names(), which builds a set of every name on every request.
        List<CharSequence> doomed = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (managed.contains(name)) {
                if (doomed == null) {
                    doomed = new ArrayList<>(2);
                }
                doomed.add(name);
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
    }
}
