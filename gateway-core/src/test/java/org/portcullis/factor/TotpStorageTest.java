package org.portcullis.factor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.portcullis.crypto.SecretBoxException;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreUnderTest;
import org.portcullis.totp.StepLedger;
import org.portcullis.totp.TotpParameters;
import org.portcullis.totp.TotpSecret;

/**
 * TOTP credentials at rest and the durable step ledger: the secret only encrypted and bound to its row, pending until
 * activated, and each time step taken once per user, also by 20 threads over two database handles on one file.
 */
/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class TotpStorageTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @BeforeEach
    void freshStore() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
    }

    private final SecretBox box = new SecretBox(EncryptionKey.generate());

    @Test
    void anEnrolmentIsPendingUntilActivatedAndItsSecretIsOnlyStoredEncrypted() throws Exception {
        try (Database db = backendStore.open()) {
            TotpCredentials store = new TotpCredentials(db, box, CLOCK, new SecureRandom());
            TotpCredentials.Enrolment enrolment = store.startEnrolment("alice", "Phone", TotpParameters.defaults());

            assertThat(store.hasActive("alice")).isFalse();
            assertThat(store.list("alice")).singleElement().satisfies(c -> {
                assertThat(c.state()).isEqualTo(TotpCredential.State.PENDING);
                assertThat(c.name()).isEqualTo("Phone");
                assertThat(c.created()).isEqualTo(CLOCK.instant());
            });
            assertThat(store.activate("alice", enrolment.credential().id())).isTrue();
            assertThat(store.activate("alice", enrolment.credential().id())).as("only once").isFalse();
            assertThat(store.hasActive("alice")).isTrue();
            assertThat(store.secretOf(store.active("alice").get(0))).isEqualTo(enrolment.secret());

            if (!backendStore.isSqlite()) {
                return; // the secret's column is the same envelope on PostgreSQL; the bytes on disk are SQLite's
            }
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            try (var files = Files.list(dataDir)) {
                for (Path f : files.toList()) {
                    all.write(Files.readAllBytes(f)); // the database and its write-ahead log
                }
            }
            byte[] file = all.toByteArray();
            String base32 = enrolment.secret().base32();
            assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(base32);
            assertThat(indexOf(file, enrolment.secret().bytes())).as("raw secret bytes in the file").isEqualTo(-1);
        }
    }

    @Test
    void aSecretMovedToAnotherUsersRowDoesNotOpen() {
        try (Database db = backendStore.open()) {
            TotpCredentials store = new TotpCredentials(db, box, CLOCK, new SecureRandom());
            TotpCredential alice = store.startEnrolment("alice", "Phone", TotpParameters.defaults()).credential();
            TotpCredential bob = store.startEnrolment("bob", "Phone", TotpParameters.defaults()).credential();
            db.write(c -> {
                try (PreparedStatement copy = c.prepareStatement("UPDATE encrypted_secrets SET envelope ="
                        + " (SELECT envelope FROM encrypted_secrets WHERE user_name = 'alice')"
                        + " WHERE user_name = 'bob'")) {
                    return copy.executeUpdate();
                }
            });
            assertThat(store.secretOf(alice)).isNotNull();
            assertThatThrownBy(() -> store.secretOf(bob)).isInstanceOf(SecretBoxException.class);
        }
    }

    @Test
    void aNewEnrolmentReplacesThePendingOneAndTheLastActiveOneCannotBeRemoved() {
        try (Database db = backendStore.open()) {
            TotpCredentials store = new TotpCredentials(db, box, CLOCK, new SecureRandom());
            String first = store.startEnrolment("alice", "Phone", TotpParameters.defaults()).credential().id();
            String second = store.startEnrolment("alice", "Tablet", TotpParameters.defaults()).credential().id();
            assertThat(store.list("alice")).extracting(TotpCredential::id).containsExactly(second);
            store.activate("alice", second);
            String third = store.startEnrolment("alice", "Laptop", TotpParameters.defaults()).credential().id();
            assertThat(store.list("alice")).extracting(TotpCredential::id).containsExactlyInAnyOrder(second, third);
            assertThat(store.activate("alice", first)).isFalse();

            assertThat(store.removeUnlessLast("alice", second)).as("the last active one").isFalse();
            store.activate("alice", third);
            assertThat(store.rename("alice", third, "Work laptop")).isTrue();
            assertThat(store.removeUnlessLast("alice", second)).isTrue();
            assertThat(store.list("alice")).extracting(TotpCredential::name).containsExactly("Work laptop");
            assertThat(db.<Integer>read(c -> {
                try (var count = c.prepareStatement("SELECT COUNT(*) FROM encrypted_secrets WHERE kind = 'totp'");
                     var row = count.executeQuery()) {
                    return row.next() ? row.getInt(1) : -1;
                }
            })).as("the removed secrets are gone with their rows").isEqualTo(1);
        }
    }

    @Test
    void eachStepIsTakenOncePerUserAndNeverAnOlderOne() {
        try (Database db = backendStore.open()) {
            StepLedger ledger = new SqliteStepLedger(db, CLOCK);
            assertThat(ledger.tryAdvance("alice", "a", 100)).isTrue();
            assertThat(ledger.tryAdvance("alice", "a", 100)).isFalse();
            assertThat(ledger.tryAdvance("alice", "b", 100)).as("another app of the same user").isFalse();
            assertThat(ledger.tryAdvance("alice", "a", 99)).as("an older step").isFalse();
            assertThat(ledger.tryAdvance("bob", "x", 100)).as("another user").isTrue();
            assertThat(ledger.tryAdvance("alice", "a", 101)).isTrue();
        }
    }

    @Test
    void twentyParallelSubmissionsOverTwoHandlesOnOneStoreTakeTheStepOnce() throws Exception {
        try (Database one = backendStore.open();
             Database two = backendStore.open()) {
            List<StepLedger> ledgers = List.of(new SqliteStepLedger(one, CLOCK), new SqliteStepLedger(two, CLOCK));
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    StepLedger ledger = ledgers.get(i % 2);
                    results.add(pool.submit(() -> {
                        start.await();
                        return ledger.tryAdvance("alice", "a", 4242);
                    }));
                }
                start.countDown();
                int successes = 0;
                for (Future<Boolean> result : results) {
                    successes += result.get() ? 1 : 0;
                }
                assertThat(successes).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aSecretIsNeverPrinted() {
        TotpSecret secret = TotpSecret.generate(new SecureRandom(), TotpParameters.defaults().algorithm());
        assertThat(new TotpCredentials.Enrolment(new TotpCredential("alice", "id", "Phone",
                TotpParameters.defaults(), CLOCK.instant(), java.util.Optional.empty(),
                TotpCredential.State.PENDING), secret).toString()).doesNotContain(secret.base32());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
