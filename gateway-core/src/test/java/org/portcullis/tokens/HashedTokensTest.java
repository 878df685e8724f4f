package org.portcullis.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.portcullis.fixtures.MutableClock;

/**
 * {@link HashedTokens} over the single-node {@link InMemoryTokenStore}, as a gateway without {@code cache.redis} runs
 * it: single use with a second use told apart, expiry from the instant of expiry on by the injected clock, tokens
 * that are read many times, only canonical tokens, and a full store that refuses rather than pushing others out.
 */
class HashedTokensTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final InMemoryTokenStore store = new InMemoryTokenStore(clock, 4);
    final HashedTokens tokens = new HashedTokens(store, "test-token", clock, new SecureRandom());

    @Test
    void aTokenIsTakenOnceAndASecondUseIsSpentNotUnknown() {
        String token = tokens.issue(new byte[] {7, 8}, clock.instant().plusSeconds(60)).orElseThrow();
        assertThat(token).hasSize(HashedTokens.TOKEN_LENGTH);
        HashedTokens.Redemption first = tokens.take(token);
        assertThat(first.outcome()).isEqualTo(HashedTokens.Outcome.VALID);
        assertThat(first.grant()).containsExactly(7, 8);
        assertThat(first.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(tokens.take(token).outcome()).isEqualTo(HashedTokens.Outcome.SPENT);
        assertThat(tokens.peek(token).outcome()).isEqualTo(HashedTokens.Outcome.UNKNOWN);
        assertThat(tokens.take("A".repeat(43)).outcome()).as("made up").isEqualTo(HashedTokens.Outcome.UNKNOWN);
    }

    @Test
    void aTokenExpiresAtItsInstantAndIsUsedUpByTheRefusal() {
        String token = tokens.issue(new byte[] {1}, clock.instant().plusSeconds(60)).orElseThrow();
        clock.advance(Duration.ofSeconds(60));
        assertThat(tokens.peek(token).outcome()).isEqualTo(HashedTokens.Outcome.EXPIRED);
        assertThat(tokens.take(token).outcome()).isEqualTo(HashedTokens.Outcome.EXPIRED);
        assertThat(tokens.take(token).outcome()).isEqualTo(HashedTokens.Outcome.SPENT);
    }

    @Test
    void aPeekedTokenWorksAsOftenAsAsked() {
        String token = tokens.issue(new byte[] {3}, clock.instant().plusSeconds(60)).orElseThrow();
        for (int i = 0; i < 5; i++) {
            assertThat(tokens.peek(token).grant()).containsExactly(3);
        }
    }

    @Test
    void onlyTheCanonicalFormIsRead() {
        String token = tokens.issue(new byte[] {1}, clock.instant().plusSeconds(60)).orElseThrow();
        for (String bad : new String[] {null, "", token + "A", token.substring(1), token.replace('_', '/'),
                "x".repeat(43), " " + token.substring(1)}) {
            if (!token.equals(bad)) {
                assertThat(tokens.take(bad).outcome()).as(String.valueOf(bad))
                        .isIn(HashedTokens.Outcome.MALFORMED, HashedTokens.Outcome.UNKNOWN);
            }
        }
        assertThat(tokens.take("x".repeat(43)).outcome()).isEqualTo(HashedTokens.Outcome.MALFORMED);
        assertThat(tokens.take(token).outcome()).as("still there").isEqualTo(HashedTokens.Outcome.VALID);
    }

    @Test
    void aFullStoreRefusesNewTokensUntilOldOnesExpire() {
        for (int i = 0; i < 4; i++) {
            assertThat(tokens.issue(new byte[] {1}, clock.instant().plusSeconds(60))).isPresent();
        }
        assertThat(tokens.issue(new byte[] {1}, clock.instant().plusSeconds(60))).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        assertThat(tokens.issue(new byte[] {1}, clock.instant().plusSeconds(60))).isPresent();
        assertThat(store.size()).isEqualTo(1);
    }
}
