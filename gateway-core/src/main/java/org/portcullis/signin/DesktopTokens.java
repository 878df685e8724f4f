package org.portcullis.signin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.portcullis.session.SessionId;

/**
 * The remote-desktop access tokens the portal hands out in {@code .rdp} files (the {@code gatewayaccesstoken}), and
 * that the RD Gateway endpoint redeems (SECURITY-RULES 24): 256 random bits, single use, valid for {@link #LIFETIME}
 * to start a connection, bound to the session that asked for it and to one desktop. Only the SHA-256 of a token is
 * kept; the token itself lives in the user's file and nowhere on the gateway.
 *
 * <p>In memory, not in the store: a token lives five minutes and is redeemed by the process that issued it (the
 * portal and the endpoint are one process); a restart forgets every unredeemed token, which fails closed (the user
 * downloads a new file). A spent token's hash is kept until it would have expired, so a second use is told apart from
 * a made-up token in the audit trail. Thread-safe.
 */
public final class DesktopTokens {
    /** How long a token may wait before it starts a connection. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** Outstanding tokens are bounded: a user clicking "Open" in a loop cannot grow the map without end. */
    static final int MAX_OUTSTANDING = 10_000;

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

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Grant> outstanding = new ConcurrentHashMap<>();
    private final Map<String, Instant> spent = new ConcurrentHashMap<>();

    public DesktopTokens(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new token for {@code desktop}, bound to {@code session}; the caller puts it in the user's .rdp file. */
    public String issue(SessionId session, String user, String desktop) {
        Instant now = clock.instant();
        sweep(now);
        if (outstanding.size() >= MAX_OUTSTANDING) {
            throw new IllegalStateException("too many outstanding desktop tokens");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        outstanding.put(hash(token), new Grant(session, user, desktop, now.plus(LIFETIME)));
        return token;
    }

    /** Takes {@code token} once: a later call with the same token is {@link Refusal#REUSED_TOKEN}. */
    public Redeemed redeem(String token) {
        if (token == null || token.isEmpty()) {
            return new Redeemed(null, Refusal.NO_TOKEN);
        }
        Instant now = clock.instant();
        String hash = hash(token);
        Grant grant = outstanding.remove(hash);
        if (grant == null) {
            Instant until = spent.get(hash);
            return new Redeemed(null, until != null && now.isBefore(until) ? Refusal.REUSED_TOKEN
                    : Refusal.UNKNOWN_TOKEN);
        }
        spent.put(hash, grant.expires());
        if (!now.isBefore(grant.expires())) {
            return new Redeemed(null, Refusal.EXPIRED_TOKEN);
        }
        return new Redeemed(grant, null);
    }

    /** How many tokens wait to be redeemed (tests). */
    public int outstanding() {
        return outstanding.size();
    }

    private void sweep(Instant now) {
        outstanding.values().removeIf(grant -> !now.isBefore(grant.expires()));
        spent.values().removeIf(until -> !now.isBefore(until));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
