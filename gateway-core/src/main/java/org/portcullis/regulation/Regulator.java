package org.portcullis.regulation;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Brute-force limits for one sign-in flow: per canonical account and per source address, for each factor
 * ({@link CounterKind}) separately.
 *
 * <p><b>Order of calls.</b> {@link #check} first, before the password hash (or TOTP code) is computed: a locked
 * account or address costs a database read, never an Argon2id hash, so a flood against a locked account cannot
 * tie up the hashing pool (SECURITY-RULES 18). If allowed, verify, then {@link #recordFailure} or
 * {@link #recordSuccess}. Unknown accounts should be checked and counted like known ones, so the lockout does not
 * reveal which names exist.
 *
 * <p><b>What locks.</b> An account: {@link RegulationSettings#maxFailures()} failures within the window (timed
 * lock), or {@link RegulationSettings#maxConsecutiveFailures()} failures without a success in between (locked until
 * {@link #unlock}, NIST SP 800-63B §5.2.2). An address (IPv6 per /64, see {@link Subject#address}): its own
 * {@link FailureLimit}, timed only, since a success by one user behind a shared address says nothing about the
 * others and a permanent lock there would lock out a whole site.
 *
 * <p><b>Threads.</b> Every method blocks on the store; run it on a {@code StorageExecutor}. The check and the
 * recording are separate steps, so requests already past the check when a lock starts still complete; callers bound
 * that by the size of their hashing pool.
 */
public final class Regulator {

    private final FailureCounter counters;
    private final RegulationSettings accounts;
    private final FailureLimit addresses;
    private final Clock clock;

    public Regulator(FailureCounter counters, RegulationSettings accounts, FailureLimit addresses, Clock clock) {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The defaults: {@link RegulationSettings#defaults()} per account, {@link FailureLimit#addressDefaults()}. */
    public static Regulator withDefaults(FailureCounter counters, Clock clock) {
        return new Regulator(counters, RegulationSettings.defaults(), FailureLimit.addressDefaults(), clock);
    }

    /** Whether an attempt of {@code kind} for {@code canonicalAccount} from {@code address} may be verified now. */
    public Verdict check(CounterKind kind, String canonicalAccount, InetAddress address) {
        Objects.requireNonNull(kind, "kind");
        Subject account = Subject.account(canonicalAccount);
        Subject source = Subject.address(address);
        Instant now = clock.instant();
        FailureState accountState = counters.state(kind, account);
        if (accountState.consecutiveFailures() >= accounts.maxConsecutiveFailures()) {
            return new Verdict.Locked(Verdict.Reason.ACCOUNT, Verdict.Locked.UNTIL_UNLOCKED);
        }
        if (accountState.lockedAt(now)) {
            return new Verdict.Locked(Verdict.Reason.ACCOUNT, accountState.lockedUntil());
        }
        FailureState addressState = counters.state(kind, source);
        if (addressState.lockedAt(now)) {
            return new Verdict.Locked(Verdict.Reason.ADDRESS, addressState.lockedUntil());
        }
        return Verdict.ALLOWED;
    }

    /**
     * Counts a failed attempt for both the account and the source address. Returns the verdict a check would give
     * right after it, so the caller can log the moment a lock starts.
     */
    public Verdict recordFailure(CounterKind kind, String canonicalAccount, InetAddress address) {
        Objects.requireNonNull(kind, "kind");
        Subject account = Subject.account(canonicalAccount);
        Subject source = Subject.address(address);
        Instant now = clock.instant();
        FailureState accountState = counters.recordFailure(kind, account, now, accounts.limit());
        FailureState addressState = counters.recordFailure(kind, source, now, addresses);
        if (accountState.consecutiveFailures() >= accounts.maxConsecutiveFailures()) {
            return new Verdict.Locked(Verdict.Reason.ACCOUNT, Verdict.Locked.UNTIL_UNLOCKED);
        }
        if (accountState.lockedAt(now)) {
            return new Verdict.Locked(Verdict.Reason.ACCOUNT, accountState.lockedUntil());
        }
        if (addressState.lockedAt(now)) {
            return new Verdict.Locked(Verdict.Reason.ADDRESS, addressState.lockedUntil());
        }
        return Verdict.ALLOWED;
    }

    /**
     * A successful verification: the account's counter of this kind starts afresh (window, lock and consecutive
     * count). The address counter is left alone, so one valid sign-in cannot launder a spray from the same source.
     */
    public void recordSuccess(CounterKind kind, String canonicalAccount) {
        counters.reset(Objects.requireNonNull(kind, "kind"), Subject.account(canonicalAccount));
    }

    /** Ends the account's lock of this kind and forgets its failures (admin action). */
    public void unlock(CounterKind kind, String canonicalAccount) {
        counters.reset(Objects.requireNonNull(kind, "kind"), Subject.account(canonicalAccount));
    }

    /** Ends the account's locks of every kind (what {@code portcullis users unlock} does); returns counters cleared. */
    public int unlockEverywhere(String canonicalAccount) {
        return counters.resetAccountEverywhere(canonicalAccount);
    }

    /** Drops address counters idle for longer than the address window with no lock left; run it now and then. */
    public int purgeIdleAddresses() {
        Instant now = clock.instant();
        return counters.purgeIdleAddresses(now, now.minus(addresses.window()));
    }
}
