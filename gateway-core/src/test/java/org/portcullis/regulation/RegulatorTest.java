package org.portcullis.regulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.regulation.Verdict.Locked;
import org.portcullis.regulation.Verdict.Reason;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.fixtures.MutableClock;

/** The lockout rules as an attacker or a user meets them, on a real SQLite store and a hand-moved clock. */
class RegulatorTest {
    private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    private static final CounterKind PASSWORD = CounterKind.PASSWORD;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(START);
    private EmbeddedDatabase database;
    private Regulator regulator;
    private InetAddress home;

    @BeforeEach
    void open() throws Exception {
        database = EmbeddedDatabase.open(dataDir);
        regulator = Regulator.withDefaults(new SqliteFailureCounter(database), clock);
        home = InetAddress.getByName("192.0.2.10");
    }

    @AfterEach
    void close() {
        database.close();
    }

    private void fail(String account, InetAddress from, int times, Duration between) {
        for (int i = 0; i < times; i++) {
            regulator.recordFailure(PASSWORD, account, from);
            clock.advance(between);
        }
    }

    @Test
    void fiveFailuresInTheWindowLockTheAccountForFifteenMinutesFourDoNot() {
        fail("alice", home, 4, Duration.ofSeconds(30));
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);

        Verdict fifth = regulator.recordFailure(PASSWORD, "alice", home);

        Instant until = clock.instant().plus(Duration.ofMinutes(15));
        assertThat(fifth).isEqualTo(new Locked(Reason.ACCOUNT, until));
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(new Locked(Reason.ACCOUNT, until));
        // Another address does not help: the account itself is locked.
        assertThat(regulator.check(PASSWORD, "alice", addr("198.51.100.7")))
                .isEqualTo(new Locked(Reason.ACCOUNT, until));
        // Other accounts are unaffected, and so is the account's TOTP counter.
        assertThat(regulator.check(PASSWORD, "bob", home)).isEqualTo(Verdict.ALLOWED);
        assertThat(regulator.check(CounterKind.TOTP, "alice", home)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void fiveFailuresSpreadBeyondTheWindowDoNotLock() {
        // 0:00, 1:15, 2:30, 3:45, 5:00 — the first is exactly one window old when the fifth arrives.
        fail("alice", home, 5, Duration.ofSeconds(75));
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void fiveFailuresJustInsideTheWindowLock() {
        clock.advance(Duration.ofMinutes(1));
        fail("alice", home, 1, Duration.ofMinutes(5).minusMillis(1).minusSeconds(3 * 10));
        fail("alice", home, 4, Duration.ofSeconds(10)); // the last lands 4:59.999 after the first
        assertThat(regulator.check(PASSWORD, "alice", home)).isInstanceOf(Locked.class);
    }

    @Test
    void theLockEndsExactlyAtItsBoundary() {
        fail("alice", home, 5, Duration.ZERO);
        Instant until = START.plus(Duration.ofMinutes(15));

        clock.set(until.minusMillis(1));
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(new Locked(Reason.ACCOUNT, until));
        clock.set(until);
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);
        // After the lock the window starts empty: one more failure does not lock again at once.
        regulator.recordFailure(PASSWORD, "alice", home);
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void aSuccessResetsTheAccountCounterButNotTheAddressCounter() {
        Regulator strictAddress = new Regulator(new SqliteFailureCounter(database), RegulationSettings.defaults(),
                new FailureLimit(6, Duration.ofMinutes(5), Duration.ofMinutes(15)), clock);
        for (int i = 0; i < 4; i++) {
            strictAddress.recordFailure(PASSWORD, "alice", home);
        }
        strictAddress.recordSuccess(PASSWORD, "alice");
        strictAddress.recordFailure(PASSWORD, "alice", home);
        // Four more account failures would have locked without the reset (4 + 1 = 5); the account is open ...
        assertThat(strictAddress.check(PASSWORD, "alice", addr("198.51.100.7"))).isEqualTo(Verdict.ALLOWED);
        // ... but the address kept all five and locks at its sixth.
        Verdict sixth = strictAddress.recordFailure(PASSWORD, "alice", home);
        assertThat(sixth).isEqualTo(new Locked(Reason.ADDRESS, START.plus(Duration.ofMinutes(15))));
    }

    @Test
    void theAddressCounterCountsFailuresAcrossDifferentAccounts() {
        for (int i = 0; i < 19; i++) {
            regulator.recordFailure(PASSWORD, "user" + i, home);
        }
        assertThat(regulator.check(PASSWORD, "someone", home)).isEqualTo(Verdict.ALLOWED);

        regulator.recordFailure(PASSWORD, "user19", home);

        Instant until = START.plus(Duration.ofMinutes(15));
        assertThat(regulator.check(PASSWORD, "someone", home)).isEqualTo(new Locked(Reason.ADDRESS, until));
        // The accounts themselves are not locked: from elsewhere they still sign in.
        assertThat(regulator.check(PASSWORD, "someone", addr("198.51.100.7"))).isEqualTo(Verdict.ALLOWED);
        assertThat(regulator.check(PASSWORD, "user0", addr("198.51.100.7"))).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void ipv6AddressesAreCountedPerSlash64() {
        for (int i = 1; i <= 20; i++) {
            regulator.recordFailure(PASSWORD, "user" + i, addr("2001:db8:aa:bb:" + Integer.toHexString(i) + "::1"));
        }
        assertThat(regulator.check(PASSWORD, "x", addr("2001:db8:aa:bb:ffff:ffff:ffff:ffff")))
                .isInstanceOf(Locked.class)
                .extracting(v -> ((Locked) v).reason()).isEqualTo(Reason.ADDRESS);
        // The neighbouring /64 is someone else.
        assertThat(regulator.check(PASSWORD, "x", addr("2001:db8:aa:bc::1"))).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void oneHundredConsecutiveFailuresLockUntilUnlockedHoweverSlowlyTheyCame() {
        // One failure every 20 minutes never trips the timed lock, but they are consecutive.
        for (int i = 0; i < 99; i++) {
            assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);
            regulator.recordFailure(PASSWORD, "alice", home);
            clock.advance(Duration.ofMinutes(20));
        }
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);

        Verdict hundredth = regulator.recordFailure(PASSWORD, "alice", home);

        assertThat(hundredth).isEqualTo(new Locked(Reason.ACCOUNT, Locked.UNTIL_UNLOCKED));
        clock.advance(Duration.ofDays(365));
        Verdict ayearLater = regulator.check(PASSWORD, "alice", home);
        assertThat(ayearLater).isInstanceOf(Locked.class);
        assertThat(((Locked) ayearLater).untilUnlocked()).isTrue();

        regulator.unlock(PASSWORD, "alice");

        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void aSuccessBeforeTheCapStartsTheConsecutiveCountAgain() {
        for (int i = 0; i < 99; i++) {
            regulator.recordFailure(PASSWORD, "alice", home);
            clock.advance(Duration.ofMinutes(20));
        }
        regulator.recordSuccess(PASSWORD, "alice");
        regulator.recordFailure(PASSWORD, "alice", home);
        assertThat(regulator.check(PASSWORD, "alice", home)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void unlockEndsATimedLockAtOnce() {
        fail("alice", home, 5, Duration.ZERO);
        regulator.unlock(PASSWORD, "alice");
        assertThat(regulator.check(PASSWORD, "alice", addr("198.51.100.7"))).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void oldAddressCountersArePurgedButAccountCountersAreKept() {
        regulator.recordFailure(PASSWORD, "alice", home);
        clock.advance(Duration.ofMinutes(6));
        assertThat(regulator.purgeIdleAddresses()).isEqualTo(1);
        FailureCounter counters = new SqliteFailureCounter(database);
        assertThat(counters.state(PASSWORD, Subject.address(home))).isEqualTo(FailureState.NONE);
        assertThat(counters.state(PASSWORD, Subject.account("alice")).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void countersSurviveARestart() {
        fail("alice", home, 5, Duration.ZERO);
        database.close();
        database = EmbeddedDatabase.open(dataDir);
        Regulator reopened = Regulator.withDefaults(new SqliteFailureCounter(database), clock);
        assertThat(reopened.check(PASSWORD, "alice", home))
                .isEqualTo(new Locked(Reason.ACCOUNT, START.plus(Duration.ofMinutes(15))));
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
