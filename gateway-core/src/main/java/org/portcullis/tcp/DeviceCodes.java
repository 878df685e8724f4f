package org.portcullis.tcp;

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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.portcullis.session.SessionId;

/**
 * The device-code sign-in of {@code portcullis connect} for computers without a browser (RFC 8628, issue 17), off
 * unless {@code connect.device_code} is true (docs/connect.md). The command asks for a pair:
 * <ul>
 *   <li>a <b>device code</b> only the command knows (256 bits), which it polls with, kept only as its SHA-256;</li>
 *   <li>a short <b>user code</b> ({@value #USER_CODE_LENGTH} letters of {@value #ALPHABET}, shown as
 *       {@code ABCD-EFGH}) the user types into the portal's approval page, kept only as its SHA-256.</li>
 * </ul>
 * Both name one target and the address that asked; both end after {@link #LIFETIME}; the first decision (approve or
 * deny) is final, and an approval gives the command its token once: the next poll finds nothing. Bounded; in this
 * process's memory only, like the loopback sign-in's codes.
 *
 * <p>Thread-safe (every change under the instance's lock).
 */
public final class DeviceCodes {
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** How often the command may poll (RFC 8628 §3.5 {@code interval}). */
    public static final Duration INTERVAL = Duration.ofSeconds(2);
    static final int MAX_ENTRIES = 10_000;
    /** No vowels (no words), no look-alikes (0/O, 1/I/L): 20 letters, 8 of them ≈ 34.6 bits. */
    static final String ALPHABET = "BCDFGHJKMNPQRSTVWXZ2";
    static final int USER_CODE_LENGTH = 8;
    private static final Pattern DEVICE_CODE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** What the command is given. */
    public record Issued(String deviceCode, String userCode, Instant expires) {
        @Override
        public String toString() {
            return "Issued[expires=" + expires + "]";
        }
    }

    /** What the approval page shows: the target, who asked (their address) and when. */
    public record Request(String target, String source, Instant requested, Instant expires) {
    }

    /** A decision's binding: the session that approved, the target, and the session's absolute expiry. */
    public record Approval(SessionId session, String target, Instant sessionExpiry) {
        @Override
        public String toString() {
            return "Approval[target=" + target + "]";
        }
    }

    /** How a user code was found on the approval page. */
    public enum Lookup { OPEN, UNKNOWN, EXPIRED, DECIDED }

    /** A poll's answer (RFC 8628 §3.5 error codes). */
    public enum PollState { PENDING, DENIED, EXPIRED, UNKNOWN, APPROVED }

    /** A poll: its state, and for {@link PollState#APPROVED} the approval (given once). */
    public record Poll(PollState state, Approval approval) {
    }

    private static final class Entry {
        final Request request;
        final String userHash;
        Approval approval;
        boolean denied;

        Entry(Request request, String userHash) {
            this.request = request;
            this.userHash = userHash;
        }

        boolean decided() {
            return approval != null || denied;
        }
    }

    private final Map<String, Entry> byDevice = new HashMap<>();
    private final Map<String, Entry> byUser = new HashMap<>();
    private final Clock clock;
    private final SecureRandom random;

    public DeviceCodes(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new pair for {@code target}, asked from {@code source}; empty when the table is full. */
    public synchronized Optional<Issued> issue(String target, String source) {
        Instant now = clock.instant();
        purge(now);
        if (byDevice.size() >= MAX_ENTRIES) {
            return Optional.empty();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String deviceCode = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String userCode;
        do {
            StringBuilder code = new StringBuilder(USER_CODE_LENGTH);
            for (int i = 0; i < USER_CODE_LENGTH; i++) {
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            userCode = code.toString();
        } while (byUser.containsKey(hash(userCode)));
        Entry entry = new Entry(new Request(target, source, now, now.plus(LIFETIME)), hash(userCode));
        byDevice.put(hash(deviceCode), entry);
        byUser.put(entry.userHash, entry);
        return Optional.of(new Issued(deviceCode, userCode.substring(0, 4) + "-" + userCode.substring(4),
                now.plus(LIFETIME)));
    }

    /** The request behind a typed user code (case, spaces and the dash do not matter). */
    public synchronized Optional<Request> request(String typed) {
        Entry entry = byUser.get(hash(normalise(typed)));
        return entry == null ? Optional.empty() : Optional.of(entry.request);
    }

    /** Whether {@code typed} can still be decided, and why not. */
    public synchronized Lookup lookup(String typed) {
        Entry entry = byUser.get(hash(normalise(typed)));
        if (entry == null) {
            return Lookup.UNKNOWN;
        }
        if (entry.decided()) {
            return Lookup.DECIDED;
        }
        return clock.instant().isBefore(entry.request.expires()) ? Lookup.OPEN : Lookup.EXPIRED;
    }

    /** Approves {@code typed} for {@code approval} (the caller checked the session and the policy); false if too late. */
    public synchronized boolean approve(String typed, Approval approval) {
        Entry entry = open(typed);
        if (entry == null || !entry.request.target().equals(approval.target())) {
            return false;
        }
        entry.approval = approval;
        return true;
    }

    /** Denies {@code typed}: the command is told {@code access_denied}. */
    public synchronized boolean deny(String typed) {
        Entry entry = open(typed);
        if (entry == null) {
            return false;
        }
        entry.denied = true;
        return true;
    }

    /** The command polls with its device code. An approval is handed out once and the pair forgotten. */
    public synchronized Poll poll(String deviceCode) {
        if (deviceCode == null || !DEVICE_CODE.matcher(deviceCode).matches()) {
            return new Poll(PollState.UNKNOWN, null);
        }
        String key = hash(deviceCode);
        Entry entry = byDevice.get(key);
        if (entry == null) {
            return new Poll(PollState.UNKNOWN, null);
        }
        Instant now = clock.instant();
        if (entry.approval != null) {
            forget(key);
            return new Poll(PollState.APPROVED, entry.approval);
        }
        if (entry.denied) {
            forget(key);
            return new Poll(PollState.DENIED, null);
        }
        if (!now.isBefore(entry.request.expires())) {
            forget(key);
            return new Poll(PollState.EXPIRED, null);
        }
        // No slow_down: the device code is 256 bits, so fast polling guesses nothing; it costs a request each.
        return new Poll(PollState.PENDING, null);
    }

    private Entry open(String typed) {
        Entry entry = byUser.get(hash(normalise(typed)));
        if (entry == null || entry.decided() || !clock.instant().isBefore(entry.request.expires())) {
            return null;
        }
        return entry;
    }

    /**
     * The command has its answer: its device code is forgotten. The user code stays until the purge, so a late visit to
     * the approval page reads "already used" or "expired" rather than "not valid".
     */
    private void forget(String deviceKey) {
        byDevice.remove(deviceKey);
    }

    private void purge(Instant now) {
        byDevice.values().removeIf(e -> !now.isBefore(e.request.expires().plus(LIFETIME)));
        byUser.values().removeIf(e -> !now.isBefore(e.request.expires().plus(LIFETIME)));
    }

    /** Upper case, without spaces and dashes; anything else stays (and finds nothing). */
    static String normalise(String typed) {
        return typed == null ? "" : typed.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("DeviceCodes: SHA-256 missing", e);
        }
    }
}
