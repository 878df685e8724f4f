package org.portcullis.totp;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link StepLedger} in one JVM's memory: correct for a single node, forgotten on restart. Durable and shared
 * ledgers come with the storage layer.
 */
public final class InMemoryStepLedger implements StepLedger {

    private record Key(String user, String credentialId) {
    }

    private final ConcurrentMap<Key, Long> lastSteps = new ConcurrentHashMap<>();

    @Override
    public boolean tryAdvance(String user, String credentialId, long step) {
        Key key = new Key(Objects.requireNonNull(user, "user"), Objects.requireNonNull(credentialId, "credentialId"));
        while (true) {
            Long current = lastSteps.get(key);
            if (current == null) {
                if (lastSteps.putIfAbsent(key, step) == null) {
                    return true;
                }
            } else if (step <= current) {
                return false;
            } else if (lastSteps.replace(key, current, step)) {
                return true;
            }
            // lost a race with another submission: read again
        }
    }
}
