package org.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portcullis.config.PasswordHash;
import org.portcullis.identity.User;
import org.portcullis.ingress.ConnectionInfo;
import org.portcullis.policy.AuthFactor;
import org.portcullis.session.Session;
import org.portcullis.session.SessionCookie;
import org.portcullis.session.SessionId;
import org.portcullis.signin.ResolvedSession;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.TestSnapshots;

/**
 * What the stage tests share: one real snapshot from YAML (routes with different limits, a portal, a policy that
 * allows, denies, bypasses and challenges), requests as the strict decoder hands them on, and signed-in sessions.
 */
final class Fixtures {
    static final String YAML = """
            server:
              listeners:
                - address: 127.0.0.1:8080
            routes:
              - name: app
                host: app.test
                upstream: http://127.0.0.1:9
                max_body_bytes: 1KiB
                identity_headers: remote
              - name: api
                host: api.test
                upstream: http://127.0.0.1:9
                allow_body_on_get: true
                identity_headers: x_forwarded
              - name: iis
                host: iis.test
                upstream: http://127.0.0.1:9
                paths: case_insensitive
            access_control:
              default_policy: deny
              rules:
                - id: public-pages
                  hosts: [app.test, api.test]
                  paths: [/public]
                  policy: bypass
                - id: closed
                  hosts: [app.test]
                  paths: [/closed]
                  policy: deny
                - id: staff
                  hosts: [app.test, api.test, iis.test]
                  policy: two_factor
            """;

    static final GatewaySnapshot SNAPSHOT = TestSnapshots.snapshot(YAML);

    static final PasswordHash HASH = new PasswordHash(PasswordHash.MIN_MEMORY_KIB, 2, 1, new byte[16], new byte[32]);
    static final SecureRandom RANDOM = new SecureRandom();
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private Fixtures() {
    }

    static ConnectionInfo connection(boolean tls) {
        return new ConnectionInfo(new InetSocketAddress("192.0.2.10", 40000), tls, tls ? 443 : 8080, List.of());
    }

    /** A request head with {@code headers} as name/value pairs, in order. */
    static HttpRequest request(String method, String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    static AdmissionContext start(GatewaySnapshot snapshot, HttpRequest request, boolean tls) {
        // As RequestCycle decides it.
        boolean bodyFollows = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        return AdmissionContext.start("req-1", request, connection(tls), snapshot, bodyFollows);
    }

    static AdmissionContext start(HttpRequest request) {
        return start(SNAPSHOT, request, false);
    }

    /** Runs {@code stages} on {@code context}, each of which must go on at once. */
    static AdmissionContext through(AdmissionContext context, Stage... stages) {
        AdmissionContext current = context;
        for (Stage stage : stages) {
            Stage.Step step = stage.apply(current);
            assertThat(step).as("%s on %s", stage.getClass().getSimpleName(), current.head().uri())
                    .isInstanceOf(Stage.Step.Next.class);
            current = ((Stage.Step.Next) step).context();
        }
        return current;
    }

    /** The first three stages (canonical request, destination, route limits): what the session stage gets. */
    static AdmissionContext routed(HttpRequest request) {
        return through(start(request), new CanonicaliseStage(), new DestinationStage(), new RouteLimitsStage());
    }

    static Admission done(Stage.Step step) {
        assertThat(step).isInstanceOf(Stage.Step.Done.class);
        return ((Stage.Step.Done) step).admission();
    }

    static Admission.Refuse refused(Stage.Step step) {
        Admission admission = done(step);
        assertThat(admission).isInstanceOf(Admission.Refuse.class);
        return (Admission.Refuse) admission;
    }

    static User alice() {
        return new User("alice", "Alice Smith", java.util.Optional.of("alice@example.org"),
                List.of("clinicians"), false, HASH);
    }

    static SessionId sessionId() {
        return SessionId.generate(RANDOM);
    }

    static String cookieFor(SessionId id) {
        return SessionCookie.NAME + "=" + id.cookieValue();
    }

    static ResolvedSession signedIn(SessionId id, AuthFactor... factors) {
        Map<AuthFactor, Instant> completed = new EnumMap<>(AuthFactor.class);
        for (AuthFactor factor : factors) {
            completed.put(factor, NOW);
        }
        Session session = new Session(id.hash(), "alice", NOW, NOW, NOW.plusSeconds(1800), NOW.plusSeconds(43200),
                completed, Map.of(), 0);
        return new ResolvedSession(ResolvedSession.Status.SIGNED_IN, id, session, alice());
    }

    static ResolvedSession twoFactors(SessionId id) {
        return signedIn(id, AuthFactor.PASSWORD, AuthFactor.TOTP);
    }
}
