package org.portcullis.totp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** Parallel submissions of one valid code: the ledger's compare-and-set lets exactly one through. */
class ReplayRaceTest {

    private static final int SUBMISSIONS = 20;

    @RepeatedTest(5)
    void twentyParallelSubmissionsOfOneCodeSucceedExactlyOnce() throws Exception {
        TotpSecret secret = TotpSecret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        TotpParameters parameters = TotpParameters.defaults();
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        TotpVerifier verifier = new TotpVerifier(Clock.fixed(now, ZoneOffset.UTC));
        StepLedger ledger = new InMemoryStepLedger();
        String code = TotpGenerator.codeAt(secret, parameters, now);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SUBMISSIONS);
        try {
            List<Future<Verification>> results = new ArrayList<>();
            for (int i = 0; i < SUBMISSIONS; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return verifier.verifyOnce(secret, parameters, code, ledger, "alice", "totp-1");
                }));
            }
            start.countDown();
            List<Verification> outcomes = new ArrayList<>();
            for (Future<Verification> result : results) {
                outcomes.add(result.get(10, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn(Verification::accepted).hasSize(1);
            assertThat(outcomes).filteredOn(v -> !v.accepted()).hasSize(SUBMISSIONS - 1)
                    .containsOnly(new Verification.Rejected(Verification.Reason.REPLAY));
        } finally {
            pool.shutdownNow();
        }
    }
}
