package org.portcullis.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreUnderTest;

/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class RecoveryCodesTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final String ALPHABET = "[23456789ABCDEFGHJKMNPQRSTVWXYZ]";

    @TempDir
    Path dataDir;

    @BeforeEach
    void freshStore() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
    }

    private static RecoveryCodes fast(Database db) {
        return new RecoveryCodes(db, RecoveryCodes.MIN_ITERATIONS);
    }

    @Test
    void tenDistinctCodesEachAcceptedOnceAndCounted() {
        try (Database db = backendStore.open()) {
            RecoveryCodes recovery = fast(db);
            RecoveryCodeSet set = recovery.generate("alice", T0);
            List<String> codes = set.reveal();

            assertThat(codes).hasSize(10).allMatch(c -> c.matches(ALPHABET + "{5}-" + ALPHABET + "{5}"));
            assertThat(new HashSet<>(codes)).hasSize(10);
            assertThat(recovery.remaining("alice")).isEqualTo(10);
            assertThat(recovery.redeem("bob", codes.get(0), T0)).isEqualTo(Redemption.UNKNOWN);
            assertThat(recovery.redeem("alice", codes.get(0).toLowerCase(), T0)).isEqualTo(Redemption.ACCEPTED);
            assertThat(recovery.redeem("alice", codes.get(0), T0)).isEqualTo(Redemption.ALREADY_USED);
            assertThat(recovery.remaining("alice")).isEqualTo(9);
            for (String code : codes.subList(1, 10)) {
                assertThat(recovery.redeem("alice", code.replace("-", ""), T0)).isEqualTo(Redemption.ACCEPTED);
            }
            assertThat(recovery.remaining("alice")).isZero();
            assertThat(recovery.remaining("bob")).isZero();
        }
    }

    @Test
    void aNewSetInvalidatesTheOldOne() {
        try (Database db = backendStore.open()) {
            RecoveryCodes recovery = fast(db);
            String old = recovery.generate("alice", T0).reveal().get(0);
            recovery.generate("alice", T0);

            assertThat(recovery.redeem("alice", old, T0)).isEqualTo(Redemption.UNKNOWN);
            assertThat(recovery.remaining("alice")).isEqualTo(10);
        }
    }

    @Test
    void codesAreStoredSaltedAndNeverPrinted() {
        try (Database db = backendStore.open()) {
            RecoveryCodes recovery = fast(db);
            RecoveryCodeSet alice = recovery.generate("alice", T0);
            recovery.generate("bob", T0);

            for (String code : alice.reveal()) {
                assertThat(alice.toString()).doesNotContain(code).doesNotContain(code.replace("-", ""));
            }
            List<String> cells = db.read(c -> {
                List<String> all = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT * FROM recovery_codes");
                     ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            byte[] bytes = rows.getBytes(i);
                            all.add(bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1));
                        }
                    }
                }
                return all;
            });
            for (String code : alice.reveal()) {
                assertThat(cells).noneMatch(cell -> cell.contains(code.replace("-", "")));
            }
            List<byte[]> salts = db.read(c -> {
                List<byte[]> all = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT salt FROM recovery_codes");
                     ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        all.add(rows.getBytes(1));
                    }
                }
                return all;
            });
            assertThat(salts).hasSize(2); // one per user
        }
    }

    @Test
    void concurrentRedemptionsOfOneCodeAcceptItOnce() throws Exception {
        try (Database db = backendStore.open()) {
            RecoveryCodes recovery = fast(db);
            String code = recovery.generate("alice", T0).reveal().get(3);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                List<Future<Redemption>> results = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return recovery.redeem("alice", code, T0);
                    }));
                }
                start.countDown();
                List<Redemption> outcomes = new ArrayList<>();
                for (Future<Redemption> result : results) {
                    outcomes.add(result.get(10, TimeUnit.SECONDS));
                }
                assertThat(outcomes).containsOnlyOnce(Redemption.ACCEPTED);
                assertThat(recovery.remaining("alice")).isEqualTo(9);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theDefaultIterationCountIsUsedAndTooFewAreRefused() {
        try (Database db = backendStore.open()) {
            RecoveryCodes recovery = new RecoveryCodes(db);
            String code = recovery.generate("alice", T0).reveal().get(0);
            int stored = db.read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT MIN(iterations) FROM recovery_codes")) {
                    return r.next() ? r.getInt(1) : 0;
                }
            });

            assertThat(stored).isEqualTo(RecoveryCodes.DEFAULT_ITERATIONS);
            // A store read by an instance with another count still verifies with the row's count.
            assertThat(fast(db).redeem("alice", code, T0)).isEqualTo(Redemption.ACCEPTED);
            assertThatThrownBy(() -> new RecoveryCodes(db, 999)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
