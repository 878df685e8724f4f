package org.portcullis.portal.flow;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.portcullis.portal.PortalRequest;
import org.portcullis.portal.PortalResponse;
import org.portcullis.portal.guard.CsrfVerdict;

/**
 * Every path the portal answers on its own host, with, for each method: the CSRF check the dispatcher runs before the
 * endpoint sees the request (SECURITY-RULES 17), whether a session that still owes its second factor may use it
 * (rule 12), the endpoint and how it answers a refused CSRF check. {@link SignInPortal} dispatches only through this
 * table: a path that is not in it is 404, a method a path does not declare is 405, and a POST cannot be declared
 * without a CSRF kind, so no state-changing request reaches an endpoint unchecked.
 */
final class PortalRoutes {

    /** The CSRF check of a route. */
    enum Csrf {
        /** GET and HEAD pages: they change nothing, so nothing to forge. Only for reads. */
        NONE(false),
        /** The sign-in form: no session yet; the double-submit cookie and the form's {@code csrf} field. */
        PRE_SESSION_COOKIE(false),
        /** Passkey sign-in (JSON): the double-submit cookie and the {@code X-CSRF-Token} header. */
        PRE_SESSION_HEADER(true),
        /** A session's forms: the token stored in the session and the form's {@code csrf} field. */
        SESSION_FORM(false),
        /** A session's JSON calls (WebAuthn): the token stored in the session and the {@code X-CSRF-Token} header. */
        SESSION_HEADER(true);

        private final boolean json;

        Csrf(boolean json) {
            this.json = json;
        }

        /** The endpoint answers JSON to a script, so refusals are JSON too, never a redirect. */
        boolean json() {
            return json;
        }

        boolean needsSession() {
            return this == SESSION_FORM || this == SESSION_HEADER;
        }
    }

    interface Handler {
        CompletableFuture<PortalResponse> handle(PortalRequest request);
    }

    /** How an endpoint answers a refused CSRF check: its form again, or its JSON error, and the audit event. */
    interface Refusal {
        CompletableFuture<PortalResponse> refuse(PortalRequest request, CsrfVerdict verdict);
    }

    /**
     * One path and method.
     *
     * @param pendingAllowed whether a session that still owes its second factor reaches the endpoint
     * @param refusal        for a POST; null for a read
     * @param available      whether the route exists under the request's config (else it is "not found", before
     *                       any check)
     */
    record Route(String path, String method, Csrf csrf, boolean pendingAllowed, Handler handler, Refusal refusal,
                 Predicate<PortalRequest> available) {
        Route {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(available, "available");
            Objects.requireNonNull(csrf, "csrf");
            Objects.requireNonNull(handler, "handler");
            boolean read = GET.equals(method);
            if (!read && !POST.equals(method)) {
                throw new IllegalArgumentException("PortalRoutes: GET or POST only: " + path);
            }
            if (read != (csrf == Csrf.NONE) || read != (refusal == null)) {
                throw new IllegalArgumentException("PortalRoutes: every POST declares a CSRF kind and a refusal,"
                        + " no GET does: " + path);
            }
        }
    }

    static final String GET = "GET";
    static final String POST = "POST";

    private final Map<String, Map<String, Route>> byPath = new HashMap<>();
    private final List<Route> routes;

    PortalRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
        for (Route route : this.routes) {
            if (byPath.computeIfAbsent(route.path(), p -> new HashMap<>()).put(route.method(), route) != null) {
                throw new IllegalArgumentException("PortalRoutes: declared twice: " + route.method() + " "
                        + route.path());
            }
        }
    }

    static Route read(String path, boolean pendingAllowed, Handler handler) {
        return new Route(path, GET, Csrf.NONE, pendingAllowed, handler, null, request -> true);
    }

    static Route change(String path, Csrf csrf, boolean pendingAllowed, Handler handler, Refusal refusal) {
        return new Route(path, POST, csrf, pendingAllowed, handler, refusal, request -> true);
    }

    /** {@code route}, existing only while {@code available} holds for the request's config. */
    static Route onlyWhen(Predicate<PortalRequest> available, Route route) {
        return new Route(route.path(), route.method(), route.csrf(), route.pendingAllowed(), route.handler(),
                route.refusal(), available);
    }

    boolean knows(String path) {
        return byPath.containsKey(path);
    }

    /** The route for {@code path} and {@code method} (HEAD is answered as GET), or empty. */
    Optional<Route> find(String path, String method) {
        Map<String, Route> methods = byPath.get(path);
        if (methods == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(methods.get("HEAD".equals(method) ? GET : method));
    }

    List<Route> routes() {
        return routes;
    }
}
