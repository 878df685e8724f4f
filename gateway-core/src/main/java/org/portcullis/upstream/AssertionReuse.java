package org.portcullis.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.portcullis.identity.User;
import org.portcullis.policy.AuthFactor;
import org.portcullis.session.SessionIdHash;
import org.portcullis.signin.ResolvedSession;

/**
 * One JWT assertion per session and audience, reused while more than half its lifetime remains (issue 14): an ES256
 * signature and a {@code SecureRandom} draw per forwarded request cost about 0.5 ms of CPU, the reuse a map lookup.
 *
 * <p>An assertion is reused only when everything it asserts is still exactly what the request would assert: the
 * session (its store key, so a new id after a factor or a sign-out never reuses), the audience, the account as the
 * user directory knows it now (name, display name, e-mail, groups; the whole {@link User}), the session's factors,
 * {@code auth_time} and the route's lifetime. Any difference signs a new one at once. An upstream therefore sees the
 * same {@code jti} on several requests, at most {@code lifetime / 2} apart from its first (docs/upstream-identity.md).
 *
 * <p>Bounded: beyond {@link #MAX_ENTRIES} entries the map is emptied (entries of ended sessions would otherwise stay).
 */
final class AssertionReuse {
    static final int MAX_ENTRIES = 65_536;

    private record Key(SessionIdHash session, String audience) {
    }

    private record Claims(User user, Set<AuthFactor> factors, Instant authTime, Duration lifetime) {
    }

    private record Reusable(Claims claims, String token, Instant renewAt) {
        @Override
        public String toString() {
            return "Reusable[renewAt=" + renewAt + ", token=(redacted)]";
        }
    }

    private final JwtSigner signer;
    private final ConcurrentHashMap<Key, Reusable> assertions = new ConcurrentHashMap<>();

    AssertionReuse(JwtSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /** The assertion for {@code session} (signed in) on {@code audience} with {@code lifetime}: reused or new. */
    String assertion(ResolvedSession session, String audience, Duration lifetime) {
        Key key = new Key(session.session().idHash(), audience);
        Claims claims = new Claims(session.user(), session.session().factors().keySet(), session.session().created(),
                lifetime);
        Reusable known = assertions.get(key);
        if (known != null && known.claims().equals(claims) && signer.clock().instant().isBefore(known.renewAt())) {
            return known.token();
        }
        JwtSigner.Assertion fresh = signer.signAssertion(claims.user(), audience, claims.factors(),
                claims.authTime(), lifetime);
        if (assertions.size() >= MAX_ENTRIES) {
            assertions.clear();
        }
        // Past half of the lifetime a new one is signed: an upstream never gets one with less than half left.
        Duration half = Duration.between(fresh.issuedAt(), fresh.expiresAt()).dividedBy(2);
        assertions.put(key, new Reusable(claims, fresh.token(), fresh.issuedAt().plus(half)));
        return fresh.token();
    }

    /** Assertions kept now (tests). */
    int size() {
        return assertions.size();
    }
}
