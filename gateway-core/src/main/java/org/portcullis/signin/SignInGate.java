package org.portcullis.signin;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.portcullis.regulation.Subject;

/**
 * How many sign-ins are worked on at once, and who goes next (SECURITY-RULES 18). A sign-in is expensive (a store
 * read, an Argon2id hash, a store write); a flood of them must cost queued connections, not CPU that proxied traffic
 * needs. So at most {@code permits} sign-ins run; the others wait, parked, costing nothing until their turn: no store
 * read, no hash, no busy answer that a flooding client would just send again at once.
 *
 * <p>Turns go round the waiting source addresses (IPv6 per /64), one sign-in each, so a flood from one network
 * cannot make a clinician on another wait behind it: they wait for at most one sign-in per flooding address ahead.
 * Waiting is bounded ({@code maxWaiting}); beyond it a sign-in is refused at once.
 *
 * <p>Thread-safe. A waiting turn whose future was cancelled (the client went away) is skipped.
 */
public final class SignInGate {
    /** A turn to sign in; {@link #close()} hands it to the next waiting sign-in. */
    public interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private final int permits;
    private final int maxWaiting;
    private final Map<String, ArrayDeque<Waiting>> waiting = new LinkedHashMap<>();
    private int running;
    private int waitingCount;

    public SignInGate(int permits, int maxWaiting) {
        if (permits < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("SignInGate: permits (" + permits + ") must be at least 1 and "
                    + "maxWaiting (" + maxWaiting + ") not negative");
        }
        this.permits = permits;
        this.maxWaiting = maxWaiting;
    }

    /** A parked sign-in, and how to tell that its client has gone (then it is skipped, never started). */
    private record Waiting(CompletableFuture<Turn> turn, BooleanSupplier gone) {
        boolean live() {
            return !turn.isDone() && !gone.getAsBoolean();
        }
    }

    /** {@link #enter(InetAddress, BooleanSupplier)} for a client that never goes away (tests). */
    public Optional<CompletableFuture<Turn>> enter(InetAddress source) {
        return enter(source, () -> false);
    }

    /**
     * A turn for a sign-in from {@code source}: completed at once when one is free, later when it comes round, or
     * empty when too many are waiting already. A waiting sign-in whose {@code gone} turns true is dropped when its
     * turn would come.
     */
    public synchronized Optional<CompletableFuture<Turn>> enter(InetAddress source, BooleanSupplier gone) {
        if (running < permits) {
            running++;
            return Optional.of(CompletableFuture.completedFuture(new Permit()));
        }
        if (waitingCount >= maxWaiting) {
            return Optional.empty();
        }
        CompletableFuture<Turn> turn = new CompletableFuture<>();
        waiting.computeIfAbsent(Subject.address(source).value(), key -> new ArrayDeque<>())
                .add(new Waiting(turn, gone));
        waitingCount++;
        return Optional.of(turn);
    }

    /** How many sign-ins wait for a turn (for tests and metrics). */
    public synchronized int waiting() {
        return waitingCount;
    }

    private void release() {
        CompletableFuture<Turn> next;
        synchronized (this) {
            next = nextWaiting();
            if (next == null) {
                running--;
                return;
            }
        }
        // Completed outside the lock: the turn's work starts on this thread or is handed on by its callbacks.
        if (!next.complete(new Permit())) {
            release();
        }
    }

    /** The first live turn of the next address in rotation; that address moves to the back. Holds the lock. */
    private CompletableFuture<Turn> nextWaiting() {
        Iterator<Map.Entry<String, ArrayDeque<Waiting>>> addresses = waiting.entrySet().iterator();
        while (addresses.hasNext()) {
            Map.Entry<String, ArrayDeque<Waiting>> entry = addresses.next();
            ArrayDeque<Waiting> queue = entry.getValue();
            addresses.remove();
            Waiting next;
            while ((next = queue.poll()) != null) {
                waitingCount--;
                if (next.live()) {
                    if (!queue.isEmpty()) {
                        waiting.put(entry.getKey(), queue);
                    }
                    return next.turn();
                }
            }
            addresses = waiting.entrySet().iterator();
        }
        return null;
    }

    private final class Permit implements Turn {
        private boolean closed;

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release();
        }
    }
}
