package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.portal.guard.CallbackRedemption.Outcome;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;

class CallbackCodesTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final SessionIdHash PORTAL_SESSION = SessionId.generate(RANDOM).hash();
    /** The SSO state nonce of the browser that started the sign-in, and its binding the code carries. */
    static final Optional<String> NONCE = Optional.of(new CsrfTokens(RANDOM).newToken());
    static final String BINDING = SsoState.binding(NONCE.get());
    static final String HOST = "app.test";

    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
    final InMemoryCallbackCodeStore store = new InMemoryCallbackCodeStore(clock);
    final CallbackCodes codes = new CallbackCodes(store, clock, CallbackCodes.DEFAULT_TTL, RANDOM);
    ExecutorService pool;

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Test
    void aCodeIsRedeemedOnlyByTheBrowserThatStartedTheSignInAndIsUsedUpOtherwise() {
        // SECURITY-RULES 25: no nonce (a browser that never visited the host), another browser's nonce, a made-up one.
        for (Optional<String> other : List.of(Optional.<String>empty(), Optional.of(new CsrfTokens(RANDOM).newToken()),
                Optional.of("not a nonce"))) {
            String code = codes.issue(HOST, PORTAL_SESSION, "/records/7", BINDING);
            assertThat(codes.attempt(code, HOST, other)).isEqualTo(CallbackRedemption.refused(Outcome.STATE_MISMATCH));
            assertThat(codes.attempt(code, HOST, NONCE)).as("refused once, good nowhere")
                    .isEqualTo(CallbackRedemption.refused(Outcome.UNKNOWN));
        }
        // The binding itself (it travels in URLs) is not the nonce.
        String code = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        assertThat(codes.attempt(code, HOST, Optional.of(BINDING)).outcome()).isEqualTo(Outcome.STATE_MISMATCH);
        assertThatThrownBy(() -> codes.issue(HOST, PORTAL_SESSION, "/", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCodeIsRedeemedOnceOnItsHost() {
        String code = codes.issue(HOST, PORTAL_SESSION, "/records/7?view=full", BINDING);
        assertThat(code).hasSize(CallbackCodes.CODE_LENGTH).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(code)).hasSize(32);

        assertThat(codes.attempt(code, HOST, NONCE).grant())
                .contains(new CallbackGrant(PORTAL_SESSION, "/records/7?view=full"));
        assertThat(codes.attempt(code, HOST, NONCE)).isEqualTo(CallbackRedemption.refused(Outcome.UNKNOWN));
        assertThat(store.size()).isZero();
    }

    @Test
    void aCodeRedeemedOnAnotherHostIsRefusedAndUsedUp() {
        String code = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        assertThat(codes.attempt(code, "other.test", NONCE))
                .isEqualTo(CallbackRedemption.refused(Outcome.WRONG_HOST));
        assertThat(codes.attempt(code, HOST, NONCE)).isEqualTo(CallbackRedemption.refused(Outcome.UNKNOWN));
    }

    @Test
    void theHostMustMatchExactly() {
        String code = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        assertThat(codes.attempt(code, "APP.TEST", NONCE).outcome()).isEqualTo(Outcome.WRONG_HOST);
        String code2 = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        assertThat(codes.attempt(code2, null, NONCE).outcome()).isEqualTo(Outcome.WRONG_HOST);
    }

    @Test
    void aCodeIsValidUpToButNotIncludingItsLifetime() {
        String early = codes.issue(HOST, PORTAL_SESSION, "/a", BINDING);
        String onTime = codes.issue(HOST, PORTAL_SESSION, "/b", BINDING);
        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(codes.attempt(early, HOST, NONCE).grant()).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(codes.attempt(onTime, HOST, NONCE)).isEqualTo(CallbackRedemption.refused(Outcome.EXPIRED));
        assertThat(codes.attempt(onTime, HOST, NONCE).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void aShorterConfiguredLifetimeIsHonoured() {
        CallbackCodes quick = new CallbackCodes(store, clock, Duration.ofSeconds(5), RANDOM);
        String code = quick.issue(HOST, PORTAL_SESSION, "/", BINDING);
        clock.advance(Duration.ofSeconds(5));
        assertThat(quick.attempt(code, HOST, NONCE).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void aClockThatSteppedBackRefusesTheCode() {
        String code = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        clock.advance(Duration.ofSeconds(-1));
        assertThat(codes.attempt(code, HOST, NONCE).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void lifetimesAboveThirtySecondsAreRefused() {
        assertThatThrownBy(() -> new CallbackCodes(store, clock, Duration.ofSeconds(31), RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallbackCodes(store, clock, Duration.ofMillis(30_001), RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallbackCodes(store, clock, Duration.ZERO, RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallbackCodes(store, clock, Duration.ofSeconds(-1), RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedCodesNeverReachTheStore() {
        String code = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        char last = code.charAt(CallbackCodes.CODE_LENGTH - 1);
        List<String> malformed = List.of("", code.substring(1), code + "A", code + "=", " " + code.substring(1),
                code.substring(0, 42) + "+", code.substring(0, 42) + (last == 'A' ? "B" : "A") + "x");
        for (String text : malformed) {
            assertThat(codes.attempt(text, HOST, NONCE).outcome()).as(text).isEqualTo(Outcome.MALFORMED);
        }
        assertThat(codes.attempt(null, HOST, NONCE).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(store.size()).isEqualTo(1);
        assertThat(codes.attempt(code, HOST, NONCE).grant()).isPresent();
    }

    @Test
    void aNonCanonicalSpellingOfACodeIsNotTheCode() {
        // The last of 43 base64url characters carries 2 unused bits; a variant with them set decodes to the same
        // bytes in lenient decoders but must not count as the code.
        byte[] bytes = new byte[32];
        String canonical = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String variant = canonical.substring(0, 42) + "B";
        assertThat(codes.attempt(variant, HOST, NONCE).outcome()).isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void theStoreHoldsOnlyAHashOfTheCode() {
        List<CallbackCodeHash> keys = new ArrayList<>();
        CallbackCodeStore recording = new CallbackCodeStore() {
            @Override
            public void put(CallbackCodeHash key, PendingCallback pending) {
                keys.add(key);
                store.put(key, pending);
            }

            @Override
            public Optional<PendingCallback> take(CallbackCodeHash key) {
                return store.take(key);
            }
        };
        CallbackCodes recorded = new CallbackCodes(recording, clock, CallbackCodes.DEFAULT_TTL, RANDOM);
        String code = recorded.issue(HOST, PORTAL_SESSION, "/", BINDING);
        byte[] codeBytes = Base64.getUrlDecoder().decode(code);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).bytes()).isNotEqualTo(codeBytes);
        assertThat(keys.get(0)).isEqualTo(CallbackCodes.hash(codeBytes));
        assertThat(keys.get(0).toString()).doesNotContain(code);
        assertThat(recorded.attempt(code, HOST, NONCE).grant()).isPresent();
    }

    @Test
    void twentyRacingRedemptionsHaveExactlyOneWinner() throws Exception {
        int threads = 20;
        pool = Executors.newFixedThreadPool(threads);
        for (int round = 0; round < 100; round++) {
            String code = codes.issue(HOST, PORTAL_SESSION, "/r" + round, BINDING);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Callable<CallbackRedemption>> racers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                racers.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return codes.attempt(code, HOST, NONCE);
                });
            }
            int winners = 0;
            for (Future<CallbackRedemption> result : pool.invokeAll(racers)) {
                CallbackRedemption redemption = result.get();
                if (redemption.outcome() == Outcome.REDEEMED) {
                    winners++;
                    assertThat(redemption.grant()).contains(new CallbackGrant(PORTAL_SESSION, "/r" + round));
                } else {
                    assertThat(redemption.outcome()).isEqualTo(Outcome.UNKNOWN);
                }
            }
            assertThat(winners).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void racingRedemptionsOnTwoHostsStillHaveAtMostOneWinner() throws Exception {
        int threads = 20;
        pool = Executors.newFixedThreadPool(threads);
        for (int round = 0; round < 50; round++) {
            String code = codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Callable<CallbackRedemption>> racers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String host = i % 2 == 0 ? HOST : "evil.test";
                racers.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return codes.attempt(code, host, NONCE);
                });
            }
            long granted = 0;
            long consumed = 0;
            for (Future<CallbackRedemption> result : pool.invokeAll(racers)) {
                Outcome outcome = result.get().outcome();
                granted += outcome == Outcome.REDEEMED ? 1 : 0;
                consumed += outcome == Outcome.REDEEMED || outcome == Outcome.WRONG_HOST ? 1 : 0;
            }
            assertThat(granted).isLessThanOrEqualTo(1);
            assertThat(consumed).isEqualTo(1);
        }
    }

    @Test
    void issueRefusesHostsAndPathsAnAcceptedTargetCouldNotHave() {
        assertThatThrownBy(() -> codes.issue("App.Test", PORTAL_SESSION, "/", BINDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codes.issue("app.test:443", PORTAL_SESSION, "/", BINDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codes.issue(HOST, PORTAL_SESSION, "//evil.com", BINDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codes.issue(HOST, PORTAL_SESSION, "https://evil.com/", BINDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codes.issue(HOST, PORTAL_SESSION, "/a\r\nSet-Cookie: x", BINDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codes.issue(HOST, PORTAL_SESSION, "/\\evil.com", BINDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.size()).isZero();
    }
}
