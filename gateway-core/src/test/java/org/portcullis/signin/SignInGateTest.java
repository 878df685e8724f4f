package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sign-in gate: how many run, who waits, who goes next. */
class SignInGateTest {
    static InetAddress at(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    @Test
    void runsUpToItsPermitsAndParksTheRest() throws Exception {
        SignInGate gate = new SignInGate(2, 10);
        CompletableFuture<SignInGate.Turn> first = gate.enter(at("192.0.2.1")).orElseThrow();
        CompletableFuture<SignInGate.Turn> second = gate.enter(at("192.0.2.1")).orElseThrow();
        CompletableFuture<SignInGate.Turn> third = gate.enter(at("192.0.2.1")).orElseThrow();

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).as("parked").isNotDone();
        assertThat(gate.waiting()).isEqualTo(1);

        first.join().close();
        assertThat(third).as("its turn when one finishes").isDone();
        first.join().close();
        assertThat(gate.waiting()).as("closing twice hands on nothing more").isZero();
    }

    @Test
    void turnsGoRoundTheAddressesSoAFloodDoesNotStarveAnotherNetwork() throws Exception {
        SignInGate gate = new SignInGate(1, 100);
        SignInGate.Turn running = gate.enter(at("198.51.100.9")).orElseThrow().join();
        List<CompletableFuture<SignInGate.Turn>> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(gate.enter(at("198.51.100.9")).orElseThrow());
        }
        CompletableFuture<SignInGate.Turn> clinician = gate.enter(at("10.1.2.3")).orElseThrow();

        running.close();
        assertThat(flood.get(0)).isDone();
        flood.get(0).join().close();
        assertThat(clinician).as("second in line, not 21st").isDone();
        assertThat(flood.get(1)).isNotDone();
    }

    @Test
    void ipv6AddressesOfOneSlash64QueueAsOneNetwork() throws Exception {
        SignInGate gate = new SignInGate(1, 100);
        SignInGate.Turn running = gate.enter(at("2001:db8::1")).orElseThrow().join();
        CompletableFuture<SignInGate.Turn> a = gate.enter(at("2001:db8::2")).orElseThrow();
        CompletableFuture<SignInGate.Turn> b = gate.enter(at("2001:db8::3")).orElseThrow();
        CompletableFuture<SignInGate.Turn> other = gate.enter(at("2001:db8:0:1::1")).orElseThrow();

        running.close();
        a.join().close();
        assertThat(other).as("the other /64 goes before the second of the first").isDone();
        assertThat(b).isNotDone();
    }

    @Test
    void refusesAtOnceWhenTooManyWait() throws Exception {
        SignInGate gate = new SignInGate(1, 2);
        gate.enter(at("192.0.2.1")).orElseThrow();
        gate.enter(at("192.0.2.1")).orElseThrow();
        gate.enter(at("192.0.2.1")).orElseThrow();

        assertThat(gate.enter(at("192.0.2.1"))).isEmpty();
    }

    @Test
    void aCancelledTurnIsSkipped() throws Exception {
        SignInGate gate = new SignInGate(1, 10);
        SignInGate.Turn running = gate.enter(at("192.0.2.1")).orElseThrow().join();
        CompletableFuture<SignInGate.Turn> gone = gate.enter(at("192.0.2.1")).orElseThrow();
        CompletableFuture<SignInGate.Turn> next = gate.enter(at("192.0.2.1")).orElseThrow();
        gone.cancel(false);

        running.close();
        assertThat(next).isDone();
        assertThat(next.isCancelled()).isFalse();
    }

    @Test
    void thousandsOfSignInsWhoseClientsLeftAreSkippedWithoutWork() throws Exception {
        SignInGate gate = new SignInGate(1, 5000);
        SignInGate.Turn running = gate.enter(at("192.0.2.1")).orElseThrow().join();
        List<CompletableFuture<SignInGate.Turn>> gone = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            gone.add(gate.enter(at("192.0.2.1"), () -> true).orElseThrow());
        }
        CompletableFuture<SignInGate.Turn> present = gate.enter(at("192.0.2.1")).orElseThrow();

        running.close();
        assertThat(present).isDone();
        assertThat(gone).noneMatch(CompletableFuture::isDone);
        assertThat(gate.waiting()).isZero();
    }
}
