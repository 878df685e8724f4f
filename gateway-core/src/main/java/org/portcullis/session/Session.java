package org.portcullis.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.portcullis.policy.AuthFactor;

/**
 * The server-side state of one session. Immutable: each change is a copy with {@link #version()} one higher, written
 * with {@link SessionStore#compareAndSet}, so two requests of one session can never overwrite each other's changes.
 * Times are kept to the millisecond, as stores keep them.
 *
 * @param idHash         the store key, SHA-256 of the cookie's id
 * @param user           the canonical user name from the user directory
 * @param created        when the first factor was completed; never changes, not even on rotation
 * @param lastSeen       the last request that moved the idle deadline (throttled, see {@link SessionManager})
 * @param idleExpiry     {@code lastSeen} plus the idle timeout when last written; the store's TTL and purge use it
 * @param absoluteExpiry {@code created} plus the absolute timeout; never extended
 * @param factors        every factor completed in this session and when it was last completed; never empty
 * @param attributes     small opaque values for the portal (CSRF token, pending redirect); keys
 *                       {@code [a-z0-9_.-]{1,64}}, at most {@value #MAX_ATTRIBUTES} of at most {@value
 *                       #MAX_ATTRIBUTE_CHARS} characters each
 * @param version        starts at 0, one higher for every replacement
 */
public record Session(
        SessionIdHash idHash,
        String user,
        Instant created,
        Instant lastSeen,
        Instant idleExpiry,
        Instant absoluteExpiry,
        Map<AuthFactor, Instant> factors,
        Map<String, String> attributes,
        long version) {

    static final int MAX_USER_CHARS = 256;
    static final int MAX_ATTRIBUTES = 16;
    static final int MAX_ATTRIBUTE_CHARS = 4096;
    static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z0-9_.-]{1,64}");

    public Session {
        Objects.requireNonNull(idHash, "idHash");
        rejectBadUser(user);
        created = millis(created, "created");
        lastSeen = millis(lastSeen, "lastSeen");
        idleExpiry = millis(idleExpiry, "idleExpiry");
        absoluteExpiry = millis(absoluteExpiry, "absoluteExpiry");
        Map<AuthFactor, Instant> factorCopy = new EnumMap<>(AuthFactor.class);
        Objects.requireNonNull(factors, "factors").forEach((f, at) ->
                factorCopy.put(Objects.requireNonNull(f, "factor"), millis(at, "factor time")));
        if (factorCopy.isEmpty()) {
            throw new IllegalArgumentException("Session: a session exists only after a completed factor");
        }
        factors = Map.copyOf(factorCopy);
        rejectBadAttributes(attributes);
        attributes = Map.copyOf(attributes);
        if (version < 0) {
            throw new IllegalArgumentException("Session: version must not be negative");
        }
    }

    /** The short, non-secret name for admins (see {@link SessionIdHash#displayId()}). */
    public String displayId() {
        return idHash.displayId();
    }

    /**
     * True once a second factor was completed. A session without one has only passed the first factor and may reach the
     * second-factor pages and nothing else (SECURITY-RULES 12).
     */
    public boolean hasSecondFactor() {
        for (AuthFactor factor : factors.keySet()) {
            if (!factor.isFirstFactor()) {
                return true;
            }
        }
        return false;
    }

    /** This session seen at {@code now}: the idle deadline moves, the absolute one never does. */
    public Session touched(Instant now, Duration idle) {
        return new Session(idHash, user, created, now, now.plus(idle), absoluteExpiry, factors, attributes,
                version + 1);
    }

    /**
     * This session under the new key {@code newHash} after completing {@code factor} at {@code now} (a new id after
     * every factor defeats session fixation). User, creation time, absolute expiry and attributes carry over.
     */
    public Session rotated(SessionIdHash newHash, AuthFactor factor, Instant now, Duration idle) {
        return rotated(newHash, factor, now, idle, Map.of(), java.util.Set.of());
    }

    /**
     * {@link #rotated(SessionIdHash, AuthFactor, Instant, Duration)} with {@code set} added to the attributes and
     * {@code remove} taken out, in the same version step: completing a second factor and dropping the "second factor
     * due" mark is one atomic change, never two.
     */
    public Session rotated(SessionIdHash newHash, AuthFactor factor, Instant now, Duration idle,
                           Map<String, String> set, java.util.Set<String> remove) {
        Map<AuthFactor, Instant> next = new EnumMap<>(AuthFactor.class);
        next.putAll(factors);
        next.put(factor, now);
        return new Session(newHash, user, created, now, now.plus(idle), absoluteExpiry, next,
                changedAttributes(set, remove), version + 1);
    }

    /** This session with {@code set} added to its attributes and {@code remove} taken out (one version step). */
    public Session withAttributes(Map<String, String> set, java.util.Set<String> remove) {
        return new Session(idHash, user, created, lastSeen, idleExpiry, absoluteExpiry, factors,
                changedAttributes(set, remove), version + 1);
    }

    private Map<String, String> changedAttributes(Map<String, String> set, java.util.Set<String> remove) {
        Map<String, String> next = new TreeMap<>(attributes);
        next.keySet().removeAll(remove);
        next.putAll(set);
        return next;
    }

    /** This session with {@code key} set to {@code value}. */
    public Session withAttribute(String key, String value) {
        Map<String, String> next = new TreeMap<>(attributes);
        next.put(key, value);
        return new Session(idHash, user, created, lastSeen, idleExpiry, absoluteExpiry, factors, next, version + 1);
    }

    /** This session without {@code key}. */
    public Session withoutAttribute(String key) {
        Map<String, String> next = new TreeMap<>(attributes);
        next.remove(key);
        return new Session(idHash, user, created, lastSeen, idleExpiry, absoluteExpiry, factors, next, version + 1);
    }

    /** Summary for admins: no key, no attribute values. */
    public SessionSummary summary() {
        return new SessionSummary(displayId(), user, created, lastSeen, idleExpiry, absoluteExpiry,
                factors.keySet());
    }

    /** Prints the display id, the user, times and factor names; attribute values (CSRF tokens) are redacted. */
    @Override
    public String toString() {
        return "Session[" + displayId() + ", user=" + user + ", created=" + created + ", lastSeen=" + lastSeen
                + ", idleExpiry=" + idleExpiry + ", absoluteExpiry=" + absoluteExpiry + ", factors="
                + new TreeMap<>(factors).keySet() + ", attributes=" + new TreeMap<>(attributes).keySet()
                + " (values redacted), version=" + version + "]";
    }

    static void rejectBadUser(String user) {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty() || user.length() > MAX_USER_CHARS) {
            throw new IllegalArgumentException("Session: user must have 1 to " + MAX_USER_CHARS + " characters");
        }
        for (int i = 0; i < user.length(); i++) {
            if (Character.isISOControl(user.charAt(i))) {
                throw new IllegalArgumentException("Session: user contains control character at index " + i);
            }
        }
    }

    private static void rejectBadAttributes(Map<String, String> attributes) {
        Objects.requireNonNull(attributes, "attributes");
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("Session: at most " + MAX_ATTRIBUTES + " attributes");
        }
        attributes.forEach((key, value) -> {
            if (key == null || !ATTRIBUTE_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("Session: attribute keys must match " + ATTRIBUTE_KEY);
            }
            if (value == null || value.length() > MAX_ATTRIBUTE_CHARS) {
                throw new IllegalArgumentException("Session: attribute '" + key + "' must have at most "
                        + MAX_ATTRIBUTE_CHARS + " characters");
            }
        });
    }

    private static Instant millis(Instant instant, String name) {
        return Objects.requireNonNull(instant, name).truncatedTo(ChronoUnit.MILLIS);
    }
}
