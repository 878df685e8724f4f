package org.portcullis.enrolment;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
class InvitationCodesTest {
    @Parameter
    String backend;
    StoreUnderTest backendStore;

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path dataDir;

    @BeforeEach
    void freshStore() {
        backendStore = StoreUnderTest.fresh(backend, dataDir);
    }

    @Test
    void aCodeIsTwentyUnambiguousCharactersAndWorksOnceForItsUser() {
        try (Database db = backendStore.open()) {
            InvitationCodes invitations = new InvitationCodes(db);
            InvitationCode code = invitations.issue("alice", DAY, T0);

            String a = "[23456789ABCDEFGHJKMNPQRSTVWXYZ]";
            assertThat(code.reveal()).matches("(" + a + "{4}-){4}" + a + "{4}");
            assertThat(InvitationCodes.CODE_LENGTH * CodeAlphabet.BITS_PER_CHARACTER).isGreaterThan(80);
            assertThat(code.expiresAt()).isEqualTo(T0.plus(DAY));
            assertThat(invitations.redeem("bob", code.reveal(), T0)).isEqualTo(Redemption.UNKNOWN);
            String typed = code.reveal().toLowerCase().replace("-", " ");
            assertThat(invitations.redeem("alice", typed, T0.plusSeconds(60))).isEqualTo(Redemption.ACCEPTED);
            assertThat(invitations.redeem("alice", code.reveal(), T0.plusSeconds(61)))
                    .isEqualTo(Redemption.ALREADY_USED);
        }
    }

    @Test
    void theCodeIsNeverStoredOrPrinted() {
        try (Database db = backendStore.open()) {
            InvitationCode code = new InvitationCodes(db).issue("alice", DAY, T0);
            String plain = code.reveal().replace("-", "");

            assertThat(code.toString()).doesNotContain(plain).doesNotContain(code.reveal()).contains("redacted");
            List<String> stored = db.read(c -> {
                List<String> cells = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT * FROM enrolment_invitations");
                     ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            cells.add(String.valueOf(rows.getObject(i)));
                            byte[] bytes = rows.getBytes(i);
                            cells.add(bytes == null ? "" : new String(bytes, ISO_8859_1));
                        }
                    }
                }
                return cells;
            });
            assertThat(stored).noneMatch(cell -> cell.contains(plain));
        }
    }

    @Test
    void expiryIsExclusive() {
        try (Database db = backendStore.open()) {
            InvitationCodes invitations = new InvitationCodes(db);
            InvitationCode late = invitations.issue("alice", DAY, T0);
            InvitationCode justInTime = invitations.issue("bob", DAY, T0);

            assertThat(invitations.redeem("alice", late.reveal(), T0.plus(DAY))).isEqualTo(Redemption.EXPIRED);
            assertThat(invitations.redeem("bob", justInTime.reveal(), T0.plus(DAY).minusMillis(1)))
                    .isEqualTo(Redemption.ACCEPTED);
        }
    }

    @Test
    void aNewInvitationReplacesTheUnusedOldOne() {
        try (Database db = backendStore.open()) {
            InvitationCodes invitations = new InvitationCodes(db);
            InvitationCode first = invitations.issue("alice", DAY, T0);
            InvitationCode second = invitations.issue("alice", DAY, T0);

            assertThat(invitations.redeem("alice", first.reveal(), T0)).isEqualTo(Redemption.UNKNOWN);
            assertThat(invitations.redeem("alice", second.reveal(), T0)).isEqualTo(Redemption.ACCEPTED);
        }
    }

    @Test
    void malformedInputAndOutOfRangeValidityAreRefused() {
        try (Database db = backendStore.open()) {
            InvitationCodes invitations = new InvitationCodes(db);
            invitations.issue("alice", DAY, T0);

            assertThat(invitations.redeem("alice", "", T0)).isEqualTo(Redemption.UNKNOWN);
            assertThat(invitations.redeem("alice", "OOOO-IIII-1111-0000-LLLL", T0)).isEqualTo(Redemption.UNKNOWN);
            assertThat(invitations.redeem("alice", "A".repeat(10_000), T0)).isEqualTo(Redemption.UNKNOWN);
            assertThatThrownBy(() -> invitations.issue("alice", Duration.ofDays(31), T0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> invitations.issue("alice", Duration.ofSeconds(59), T0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ofTenConcurrentRedemptionsExactlyOneWins() throws Exception {
        try (Database db = backendStore.open()) {
            InvitationCodes invitations = new InvitationCodes(db);
            String code = invitations.issue("alice", DAY, T0).reveal();
            int threads = 10;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Redemption>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<Redemption> redeem = () -> {
                        start.await();
                        return invitations.redeem("alice", code, T0);
                    };
                    results.add(pool.submit(redeem));
                }
                start.countDown();
                List<Redemption> outcomes = new ArrayList<>();
                for (Future<Redemption> result : results) {
                    outcomes.add(result.get(10, TimeUnit.SECONDS));
                }
                assertThat(outcomes).containsOnlyOnce(Redemption.ACCEPTED);
                assertThat(outcomes).filteredOn(r -> r == Redemption.ALREADY_USED).hasSize(threads - 1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
