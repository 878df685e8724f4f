package org.portcullis.portal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.portal.guard.CallbackRedemption.Outcome;
import org.portcullis.session.SessionId;
import org.portcullis.session.SessionIdHash;

class InMemoryCallbackCodeStoreTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final SessionIdHash PORTAL_SESSION = SessionId.generate(RANDOM).hash();
    /** The SSO state nonce of the browser that started the sign-in, and its binding the code carries. */
    static final Optional<String> NONCE = Optional.of(new CsrfTokens(RANDOM).newToken());
    static final String BINDING = SsoState.binding(NONCE.get());
    static final String HOST = "app.test";

    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));

    @Test
    void aFloodOfCodesStaysWithinTheBoundAndDropsTheOldestFirst() {
        InMemoryCallbackCodeStore store = new InMemoryCallbackCodeStore(clock);
        CallbackCodes codes = new CallbackCodes(store, clock, CallbackCodes.DEFAULT_TTL, RANDOM);
        String oldest = codes.issue(HOST, PORTAL_SESSION, "/oldest", BINDING);
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 3 * InMemoryCallbackCodeStore.DEFAULT_MAX_OUTSTANDING; i++) {
            flood.add(codes.issue(HOST, PORTAL_SESSION, "/", BINDING));
        }
        assertThat(store.size()).isEqualTo(InMemoryCallbackCodeStore.DEFAULT_MAX_OUTSTANDING);
        assertThat(codes.attempt(oldest, HOST, NONCE).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(codes.attempt(flood.get(0), HOST, NONCE).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(codes.attempt(flood.get(flood.size() - 1), HOST, NONCE).outcome()).isEqualTo(Outcome.REDEEMED);
        assertThat(codes.attempt(flood.get(flood.size() - InMemoryCallbackCodeStore.DEFAULT_MAX_OUTSTANDING), HOST,
                NONCE)
                .outcome()).isEqualTo(Outcome.REDEEMED);
    }

    @Test
    void expiredCodesAreDroppedByTheNextIssue() {
        InMemoryCallbackCodeStore store = new InMemoryCallbackCodeStore(clock, 100);
        CallbackCodes codes = new CallbackCodes(store, clock, Duration.ofSeconds(30), RANDOM);
        for (int i = 0; i < 50; i++) {
            codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
        }
        assertThat(store.size()).isEqualTo(50);
        clock.advance(Duration.ofSeconds(30));
        String fresh = codes.issue(HOST, PORTAL_SESSION, "/fresh", BINDING);
        assertThat(store.size()).isEqualTo(1);
        assertThat(codes.attempt(fresh, HOST, NONCE).grant()).isPresent();
    }

    @Test
    void redeemedCodesDoNotPileUpInTheIssueQueue() {
        InMemoryCallbackCodeStore store = new InMemoryCallbackCodeStore(clock, 10);
        CallbackCodes codes = new CallbackCodes(store, clock, Duration.ofSeconds(30), RANDOM);
        String keep = codes.issue(HOST, PORTAL_SESSION, "/keep", BINDING);
        for (int i = 0; i < 1000; i++) {
            assertThat(codes.attempt(codes.issue(HOST, PORTAL_SESSION, "/", BINDING), HOST, NONCE).grant())
                    .isPresent();
        }
        // The queue is trimmed to its bound: the one code still pending was pushed out by the 1,000 later ones.
        assertThat(store.size()).isZero();
        assertThat(codes.attempt(keep, HOST, NONCE).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void concurrentIssuersCannotGrowTheStorePastItsBound() throws Exception {
        int bound = 500;
        InMemoryCallbackCodeStore store = new InMemoryCallbackCodeStore(clock, bound);
        CallbackCodes codes = new CallbackCodes(store, clock, CallbackCodes.DEFAULT_TTL, RANDOM);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Callable<Void>> issuers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                issuers.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 2000; i++) {
                        codes.issue(HOST, PORTAL_SESSION, "/", BINDING);
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(issuers)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.size()).isEqualTo(bound);
    }

    @Test
    void aRepeatedKeyIsAProgrammingError() {
        InMemoryCallbackCodeStore store = new InMemoryCallbackCodeStore(clock, 10);
        CallbackCodeHash key = CallbackCodeHash.of(new byte[32]);
        PendingCallback pending = new PendingCallback(HOST, PORTAL_SESSION, "/", BINDING, clock.instant(),
                clock.instant().plusSeconds(30));
        store.put(key, pending);
        assertThatThrownBy(() -> store.put(key, pending)).isInstanceOf(IllegalStateException.class);
        assertThat(store.take(key)).contains(pending);
        assertThat(store.take(key)).isEmpty();
    }
}
