package org.portcullis.signin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.portcullis.session.SessionId;
import org.portcullis.tokens.GrantFields;
import org.portcullis.tokens.HashedTokens;
import org.portcullis.tokens.TokenStore;

/**
 * The remote-desktop access tokens the portal hands out in {@code .rdp} files (the {@code gatewayaccesstoken}), and
 * that the RD Gateway endpoint redeems (SECURITY-RULES 24): 256 random bits, single use, valid for {@link #LIFETIME}
 * to start a connection, bound to the session that asked for it and to one desktop. Made, hashed, sealed and checked
 * by {@link HashedTokens}: the store keeps only the token's hash and the grant sealed under a key the token alone
 * gives; the token itself lives in the user's file and nowhere on the gateway.
 *
 * <p>The store is this process's memory on a single gateway (a restart forgets every unredeemed token, which fails
 * closed: the user downloads a new file), or Redis with {@code cache.redis}, so that the node the RDP client reaches
 * redeems a token another node's portal issued, once for the whole cluster. A spent token stays marked until it would
 * have expired, so a second use is told apart from a made-up token in the audit trail. Store calls block (Redis):
 * callers run them on storage threads, never on an event loop; a store failure throws and the caller refuses.
 * Thread-safe.
 */
public final class DesktopTokens {
    /** How long a token may wait before it starts a connection. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** Outstanding tokens in memory are bounded: a user clicking "Open" in a loop cannot grow the map without end. */
    public static final int MAX_OUTSTANDING = 10_000;
    /** The tokens' kind in the store's keys. */
    static final String KIND = "rdp-token";

    /** What a token was issued for. The session id never leaves the gateway ({@link SessionId} prints redacted). */
    public record Grant(SessionId session, String user, String desktop, Instant expires) {
        public Grant {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(desktop, "desktop");
            Objects.requireNonNull(expires, "expires");
        }
    }

    /** Why a token did not open anything. */
    public enum Refusal { NO_TOKEN, UNKNOWN_TOKEN, EXPIRED_TOKEN, REUSED_TOKEN }

    /** The outcome of redeeming a token: a grant, or the reason there is none. */
    public record Redeemed(Grant grant, Refusal refusal) {
    }

    private final HashedTokens tokens;
    private final Clock clock;

    /** @param store where tokens wait: in memory (at most {@link #MAX_OUTSTANDING}) or the cluster's Redis */
    public DesktopTokens(TokenStore store, Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokens = new HashedTokens(store, KIND, clock, random);
    }

    /**
     * A new token for {@code desktop}, bound to {@code session}; the caller puts it in the user's .rdp file.
     *
     * @throws IllegalStateException when too many tokens are outstanding (the portal answers with an error page)
     */
    public String issue(SessionId session, String user, String desktop) {
        Instant expires = clock.instant().plus(LIFETIME);
        // The session id is sealed with the grant: only whoever holds the token can read it back.
        byte[] grant = GrantFields.write(session.cookieValue(), user, desktop);
        return tokens.issue(grant, expires).orElseThrow(
                () -> new IllegalStateException("too many outstanding desktop tokens"));
    }

    /** Takes {@code token} once: a later call with the same token, on any node, is {@link Refusal#REUSED_TOKEN}. */
    public Redeemed redeem(String token) {
        if (token == null || token.isEmpty()) {
            return new Redeemed(null, Refusal.NO_TOKEN);
        }
        HashedTokens.Redemption redemption = tokens.take(token);
        return switch (redemption.outcome()) {
            case VALID -> new Redeemed(grant(redemption), null);
            case EXPIRED -> new Redeemed(null, Refusal.EXPIRED_TOKEN);
            case SPENT -> new Redeemed(null, Refusal.REUSED_TOKEN);
            case MALFORMED, UNKNOWN -> new Redeemed(null, Refusal.UNKNOWN_TOKEN);
        };
    }

    private static Grant grant(HashedTokens.Redemption redemption) {
        String[] fields = GrantFields.read(redemption.grant(), 3);
        SessionId session = SessionId.parse(fields[0]).orElseThrow(
                () -> new IllegalStateException("DesktopTokens: a grant without a session"));
        return new Grant(session, fields[1], fields[2], redemption.expiresAt());
    }
}
