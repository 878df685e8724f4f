package org.portcullis.identity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.portcullis.config.PasswordHash;

/**
 * A real {@link PasswordHasher} that also records every check: the cost it was asked to pay and the thread it ran
 * on. Optionally holds each check until {@link #release()} (to fill the pool's queue in tests).
 */
final class CountingHasher implements HashVerifier {
    record Check(Argon2Parameters cost, String thread) {
    }

    private final PasswordHasher hasher;
    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate;
    final CountDownLatch started = new CountDownLatch(1);

    CountingHasher(PasswordHasher hasher, boolean holdChecks) {
        this.hasher = hasher;
        this.gate = new CountDownLatch(holdChecks ? 1 : 0);
    }

    @Override
    public boolean verify(char[] password, PasswordHash stored) {
        checks.add(new Check(Argon2Parameters.of(stored), Thread.currentThread().getName()));
        started.countDown();
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("CountingHasher: never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return hasher.verify(password, stored);
    }

    @Override
    public PasswordHash hashOf(char[] password) {
        return hasher.hashOf(password);
    }

    void release() {
        gate.countDown();
    }

    List<Check> checks() {
        return checks;
    }
}
