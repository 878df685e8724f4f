package org.portcullis.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.portcullis.policy.AuthFactor;

/**
 * The security-key approval links of the SSH jump host (docs/ssh.md, "Security keys"). A user whose second factor is a
 * security key cannot use it over SSH, so after the password the jump host shows a link; the user opens it in a
 * browser signed in to the portal with two factors and approves this one SSH connection there.
 *
 * <p>A link is bound to one SSH connection (only that connection waits for its outcome), to the user who typed the
 * password there, and to {@link #LIFETIME}; it decides once (SECURITY-RULES 24, 25). It is random (128 bits) and kept
 * only as its SHA-256. A link opened by another account's session, or by a session without a second factor, is void
 * from then on — someone else has it — and the SSH sign-in fails. Entries that decided stay for
 * {@link #REMEMBERED} so a late click reads "used" or "expired" rather than "unknown"; the table is bounded.
 *
 * <p>In this process's memory only: a link belongs to one SSH connection of this very process anyway. Thread-safe
 * (every change under the instance's lock; a handful of entries at a time).
 */
public final class SshApprovals {
    public static final Duration LIFETIME = Duration.ofMinutes(2);
    static final Duration REMEMBERED = Duration.ofMinutes(10);
    static final int MAX_ENTRIES = 10_000;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");

    /** How a link ended, as the waiting SSH connection learns it. */
    public enum Outcome {
        /** Approved by the user's own two-factor session. */
        APPROVED,
        /** Not approved within {@link #LIFETIME}. */
        EXPIRED,
        /** The user pressed "This was not me". */
        DENIED,
        /** Opened by another account's session: void. */
        OTHER_USER,
        /** Opened by a session of the user without a second factor: void. */
        NO_SECOND_FACTOR,
        /** The SSH connection ended or signed in otherwise (a recovery code). */
        CANCELLED
    }

    /** What a browser's visit to a link found: the request to show, or why there is nothing to approve. */
    public enum Verdict {
        /** A waiting link of this user, seen by a session with a second factor: show it, or (POST) approved. */
        OPEN,
        /** Not a link this gateway issued (or forgotten). */
        UNKNOWN,
        /** This link already decided (approved, denied, void): it works once. */
        USED,
        EXPIRED,
        /** The SSH connection that asked is gone. */
        CANCELLED,
        OTHER_USER,
        NO_SECOND_FACTOR
    }

    /**
     * What the approval page shows: who asks, from where, for which targets, and until when.
     *
     * @param targets the names of the {@code tcp_targets} the user may reach (the channel comes after sign-in, so the
     *                exact one is not known yet)
     */
    public record Request(String user, String source, List<String> targets, Instant requested, Instant expires) {
        public Request {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(source, "source");
            targets = List.copyOf(targets);
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(expires, "expires");
        }
    }

    /** A browser's visit: the verdict, and the request when the link was found. */
    public record Visit(Verdict verdict, Request request) {
    }

    /** The link handed to one SSH connection: the token to show, and the outcome it waits for. */
    record Issued(String token, String hash, CompletableFuture<Decision> decision) {
        @Override
        public String toString() {
            return "Issued[link]";
        }
    }

    /** The outcome and, when approved, the second factor the approving session had completed. */
    record Decision(Outcome outcome, AuthFactor factor) {
    }

    private static final class Entry {
        final Request request;
        final CompletableFuture<Decision> decision = new CompletableFuture<>();
        Outcome outcome;
        Instant decided;

        Entry(Request request) {
            this.request = request;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Clock clock;
    private final SecureRandom random;

    public SshApprovals(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new link for {@code user} signing in from {@code source}; empty when the table is full. */
    synchronized Optional<Issued> issue(String user, String source, List<String> targets) {
        Instant now = clock.instant();
        purge(now);
        if (entries.size() >= MAX_ENTRIES) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String hash = hash(token);
        Entry entry = new Entry(new Request(user, source, targets, now, now.plus(LIFETIME)));
        entries.put(hash, entry);
        return Optional.of(new Issued(token, hash, entry.decision));
    }

    /**
     * A browser opened {@code token} ({@code approve} false: the page; true: the approval POST). {@code user} is the
     * browser session's user, {@code secondFactor} its most recent second factor (empty: it has none). A link of
     * another account, or seen by a session without a second factor, is void from now on.
     */
    public synchronized Visit visit(String token, String user, Optional<AuthFactor> secondFactor, boolean approve) {
        Entry entry = token == null || !TOKEN.matcher(token).matches() ? null : entries.get(hash(token));
        if (entry == null) {
            return new Visit(Verdict.UNKNOWN, null);
        }
        Instant now = clock.instant();
        expireIfDue(entry, now);
        if (entry.outcome != null) {
            return new Visit(switch (entry.outcome) {
                case EXPIRED -> Verdict.EXPIRED;
                case CANCELLED -> Verdict.CANCELLED;
                default -> Verdict.USED;
            }, entry.request);
        }
        if (!entry.request.user().equals(user)) {
            decide(entry, Outcome.OTHER_USER, null, now);
            return new Visit(Verdict.OTHER_USER, entry.request);
        }
        if (secondFactor.isEmpty()) {
            decide(entry, Outcome.NO_SECOND_FACTOR, null, now);
            return new Visit(Verdict.NO_SECOND_FACTOR, entry.request);
        }
        if (approve) {
            decide(entry, Outcome.APPROVED, secondFactor.get(), now);
        }
        return new Visit(Verdict.OPEN, entry.request);
    }

    /** The user said "this was not me": the waiting connection is refused. Same checks as {@link #visit}. */
    public synchronized Visit deny(String token, String user, Optional<AuthFactor> secondFactor) {
        Visit visit = visit(token, user, secondFactor, false);
        if (visit.verdict() == Verdict.OPEN) {
            decide(entries.get(hash(token)), Outcome.DENIED, null, clock.instant());
        }
        return visit;
    }

    /** The connection that holds {@code issued} ended or signed in another way: its link no longer approves. */
    synchronized void cancel(Issued issued) {
        Entry entry = entries.get(issued.hash());
        if (entry != null && entry.outcome == null) {
            decide(entry, Outcome.CANCELLED, null, clock.instant());
        }
    }

    /** Ends every link whose time passed (the waiting connections learn {@link Outcome#EXPIRED}). */
    synchronized void sweep() {
        Instant now = clock.instant();
        for (Entry entry : entries.values()) {
            expireIfDue(entry, now);
        }
        purge(now);
    }

    private void expireIfDue(Entry entry, Instant now) {
        if (entry.outcome == null && !now.isBefore(entry.request.expires())) {
            decide(entry, Outcome.EXPIRED, null, now);
        }
    }

    private static void decide(Entry entry, Outcome outcome, AuthFactor factor, Instant now) {
        entry.outcome = outcome;
        entry.decided = now;
        // The waiting connection's callback only hands work to the storage threads: nothing slow runs under the lock.
        entry.decision.complete(new Decision(outcome, factor));
    }

    private void purge(Instant now) {
        entries.values().removeIf(e -> e.outcome != null && !now.isBefore(e.decided.plus(REMEMBERED)));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SshApprovals: SHA-256 missing", e);
        }
    }
}
