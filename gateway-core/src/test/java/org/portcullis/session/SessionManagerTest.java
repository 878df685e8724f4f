package org.portcullis.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.policy.AuthFactor;
import org.portcullis.storage.EmbeddedDatabase;
import org.portcullis.fixtures.MutableClock;

class SessionManagerTest {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final Duration IDLE = SessionSettings.DEFAULT_IDLE;
    static final Duration ABSOLUTE = SessionSettings.DEFAULT_ABSOLUTE;

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);
    EmbeddedDatabase database;
    SessionManager sessions;

    @BeforeEach
    void open() {
        database = EmbeddedDatabase.open(dataDir);
        sessions = manager(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    SessionManager manager(EmbeddedDatabase db) {
        return new SessionManager(new SqliteSessionStore(db), SessionSettings.defaults(), clock, new SecureRandom());
    }

    @Test
    void defaultsAreThirtyMinutesIdleAndTwelveHoursAbsolute() {
        assertThat(SessionSettings.defaults()).isEqualTo(
                new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(12)));
    }

    @Test
    void aStartedSessionHasOnlyTheFirstFactor() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        SessionValidation result = sessions.validate(issued.id());
        assertThat(result).isInstanceOf(SessionValidation.Valid.class);
        Session s = ((SessionValidation.Valid) result).session();
        assertThat(s.user()).isEqualTo("alice");
        assertThat(s.factors()).containsOnlyKeys(AuthFactor.PASSWORD);
        assertThat(s.hasSecondFactor()).isFalse();
        assertThat(s.absoluteExpiry()).isEqualTo(T0.plus(ABSOLUTE));
    }

    @Test
    void anUnknownIdIsUnknown() {
        assertThat(sessions.validate(SessionId.generate(new SecureRandom())))
                .isInstanceOf(SessionValidation.Unknown.class);
    }

    @Test
    void idleTimeoutEndsTheSessionExactlyAtTheDeadline() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        clock.advance(IDLE.minusMillis(1));
        assertThat(sessions.validate(issued.id())).isInstanceOf(SessionValidation.Valid.class);

        IssuedSession other = sessions.start("bob", AuthFactor.PASSWORD);
        clock.advance(IDLE);
        assertThat(sessions.validate(other.id()))
                .isEqualTo(new SessionValidation.Expired(SessionValidation.Expiry.IDLE));
        // expired sessions are deleted: the next request finds nothing
        assertThat(sessions.validate(other.id())).isInstanceOf(SessionValidation.Unknown.class);
    }

    @Test
    void activityMovesTheIdleDeadline() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.validate(issued.id())).isInstanceOf(SessionValidation.Valid.class);
        }
        assertThat(clock.instant()).isAfter(T0.plus(IDLE.multipliedBy(3)));
    }

    @Test
    void theIdleDeadlineIsWrittenAtMostOncePerTouchInterval() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        clock.advance(sessions.touchInterval().minusMillis(1));
        Session unchanged = valid(issued.id());
        assertThat(unchanged.lastSeen()).isEqualTo(T0);
        assertThat(unchanged.version()).isZero();

        clock.advance(Duration.ofMillis(1));
        Session touched = valid(issued.id());
        assertThat(touched.lastSeen()).isEqualTo(T0.plus(sessions.touchInterval()));
        assertThat(touched.idleExpiry()).isEqualTo(touched.lastSeen().plus(IDLE));
        assertThat(touched.version()).isEqualTo(1);
    }

    @Test
    void theAbsoluteTimeoutEndsEvenAnActiveSession() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        Instant deadline = T0.plus(ABSOLUTE);
        while (clock.instant().plus(Duration.ofMinutes(10)).isBefore(deadline)) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(sessions.validate(issued.id())).isInstanceOf(SessionValidation.Valid.class);
        }
        clock.set(deadline.minusMillis(1));
        assertThat(valid(issued.id()).absoluteExpiry()).isEqualTo(deadline);
        clock.set(deadline);
        assertThat(sessions.validate(issued.id()))
                .isEqualTo(new SessionValidation.Expired(SessionValidation.Expiry.ABSOLUTE));
    }

    @Test
    void theSecondFactorGivesANewIdAndTheOldOneStopsWorking() {
        IssuedSession first = sessions.start("alice", AuthFactor.PASSWORD);
        clock.advance(Duration.ofSeconds(20));
        IssuedSession second = sessions.rotate(first.id(), AuthFactor.TOTP).orElseThrow();

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(sessions.validate(first.id())).isInstanceOf(SessionValidation.Unknown.class);
        Session s = valid(second.id());
        assertThat(s.hasSecondFactor()).isTrue();
        assertThat(s.factors()).containsEntry(AuthFactor.PASSWORD, T0)
                .containsEntry(AuthFactor.TOTP, T0.plusSeconds(20));
        assertThat(s.created()).isEqualTo(T0);
        assertThat(s.absoluteExpiry()).isEqualTo(T0.plus(ABSOLUTE)); // rotation never extends it
    }

    @Test
    void theOldIdCannotBeRotatedTwice() {
        IssuedSession first = sessions.start("alice", AuthFactor.PASSWORD);
        assertThat(sessions.rotate(first.id(), AuthFactor.TOTP)).isPresent();
        assertThat(sessions.rotate(first.id(), AuthFactor.TOTP)).isEmpty();
    }

    @Test
    void anExpiredSessionCannotBeRotated() {
        IssuedSession first = sessions.start("alice", AuthFactor.PASSWORD);
        clock.advance(IDLE);
        assertThat(sessions.rotate(first.id(), AuthFactor.WEBAUTHN)).isEmpty();
        assertThat(sessions.validate(first.id())).isInstanceOf(SessionValidation.Unknown.class);
    }

    @Test
    void logoutEndsTheSession() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        assertThat(sessions.logout(issued.id())).isTrue();
        assertThat(sessions.validate(issued.id())).isInstanceOf(SessionValidation.Unknown.class);
        assertThat(sessions.logout(issued.id())).isFalse();
    }

    @Test
    void aRestartLogsNobodyOut() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        IssuedSession full = sessions.rotate(issued.id(), AuthFactor.WEBAUTHN).orElseThrow();
        database.close();
        database = EmbeddedDatabase.open(dataDir);
        sessions = manager(database);
        assertThat(valid(full.id())).isEqualTo(full.session());
    }

    @Test
    void revocationFromAnotherProcessIsEffectiveOnTheNextRequest() {
        IssuedSession alice = sessions.start("alice", AuthFactor.PASSWORD);
        IssuedSession bob = sessions.start("bob", AuthFactor.PASSWORD);
        IssuedSession carol = sessions.start("carol", AuthFactor.PASSWORD);
        IssuedSession dave = sessions.start("dave", AuthFactor.PASSWORD);
        assertThat(sessions.validate(alice.id())).isInstanceOf(SessionValidation.Valid.class);

        // the CLI opens its own connections to the same file while the gateway keeps running
        try (EmbeddedDatabase cli = EmbeddedDatabase.openExisting(dataDir)) {
            SqliteSessionStore admin = new SqliteSessionStore(cli);
            assertThat(admin.deleteByUser("alice")).isEqualTo(1);
            assertThat(admin.deleteByIdPrefix(bob.session().displayId())).isEqualTo(1);
        }
        assertThat(sessions.validate(alice.id())).isInstanceOf(SessionValidation.Unknown.class);
        assertThat(sessions.validate(bob.id())).isInstanceOf(SessionValidation.Unknown.class);
        assertThat(sessions.validate(carol.id())).isInstanceOf(SessionValidation.Valid.class);

        try (EmbeddedDatabase cli = EmbeddedDatabase.openExisting(dataDir)) {
            assertThat(new SqliteSessionStore(cli).deleteAll()).isEqualTo(2);
        }
        assertThat(sessions.validate(carol.id())).isInstanceOf(SessionValidation.Unknown.class);
        assertThat(sessions.validate(dave.id())).isInstanceOf(SessionValidation.Unknown.class);
    }

    @Test
    void aTouchNeverResurrectsARevokedSession() {
        IssuedSession issued = sessions.start("alice", AuthFactor.PASSWORD);
        clock.advance(Duration.ofMinutes(5));
        new SqliteSessionStore(database).deleteByUser("alice");
        assertThat(sessions.validate(issued.id())).isInstanceOf(SessionValidation.Unknown.class);
        assertThat(new SqliteSessionStore(database).get(issued.id().hash())).isEmpty();
    }

    @Test
    void purgeRemovesExpiredSessionsOnly() {
        sessions.start("alice", AuthFactor.PASSWORD);
        clock.advance(Duration.ofMinutes(10));
        IssuedSession bob = sessions.start("bob", AuthFactor.PASSWORD);
        clock.advance(IDLE.minusMinutes(10));
        assertThat(sessions.purgeExpired()).isEqualTo(1);
        assertThat(sessions.validate(bob.id())).isInstanceOf(SessionValidation.Valid.class);
    }

    @Test
    void aShortIdleTimeoutShortensTheTouchInterval() {
        SessionManager quick = new SessionManager(new SqliteSessionStore(database),
                new SessionSettings(Duration.ofMinutes(2), Duration.ofHours(1)), clock, new SecureRandom());
        assertThat(quick.touchInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(sessions.touchInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    private Session valid(SessionId id) {
        SessionValidation result = sessions.validate(id);
        assertThat(result).isInstanceOf(SessionValidation.Valid.class);
        return ((SessionValidation.Valid) result).session();
    }
}
