package org.portcullis.factor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.crypto.EncryptionKey;
import org.portcullis.crypto.SecretBox;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.storage.Database;
import org.portcullis.storage.StoreUnderTest;
import org.portcullis.totp.TotpParameters;
import org.portcullis.webauthn.CredentialRecord;
import org.portcullis.webauthn.WebAuthnUser;

/**
 * Security keys at rest (schema 7): ids unique across users, one stable opaque handle per user, a clone signal that
 * disables with a reason until an admin re-enables, and "never the last second factor" across apps and keys.
 */
/* Runs on both backends: the SQLite file and a fresh PostgreSQL database (StoreUnderTest). */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"sqlite", "postgresql"})
class WebAuthnStorageTest {
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

    private static CredentialRecord key(String id, WebAuthnUser user, String name) {
        return new CredentialRecord(id, user.name(), user.userHandle(), new byte[] {1, 2, 3}, 5,
                UUID.fromString("cb69481e-8ff7-4039-93ec-0a2729a154a8"), name, false, CLOCK.instant(), null);
    }

    @Test
    void aFactorResetRemovesTheUsersKeysAndNoOneElses() {
        try (Database db = backendStore.open()) {
            WebAuthnCredentials store = new WebAuthnCredentials(db, new SecureRandom());
            store.add(key("AAAA", store.user("alice"), "Blue key"));
            store.add(key("BBBB", store.user("alice"), "Spare key"));
            store.add(key("CCCC", store.user("bob"), "Bob's key"));

            FactorReset.Removed removed = FactorReset.removeAll(db, "alice");

            assertThat(removed.securityKeys()).isEqualTo(2);
            assertThat(removed.authenticatorApps()).isZero();
            assertThat(store.hasAny("alice")).isFalse();
            assertThat(store.findById("AAAA")).isEmpty();
            assertThat(store.hasAny("bob")).isTrue();
        }
    }

    @Test
    void idsAreUniqueAcrossUsersAndTheHandleIsStableAndOpaque() {
        try (Database db = backendStore.open()) {
            WebAuthnCredentials store = new WebAuthnCredentials(db, new SecureRandom());
            WebAuthnUser alice = store.user("alice");
            assertThat(store.user("alice")).isEqualTo(alice);
            assertThat(alice.userHandle()).doesNotContain("alice").hasSizeGreaterThanOrEqualTo(43);
            WebAuthnUser bob = store.user("bob");
            assertThat(bob.userHandle()).isNotEqualTo(alice.userHandle());

            assertThat(store.add(key("AAAA", alice, "Blue key"))).isTrue();
            assertThat(store.add(key("AAAA", bob, "Stolen id"))).as("same id for another user").isFalse();
            assertThat(store.findById("AAAA").orElseThrow().user()).isEqualTo("alice");
            assertThat(store.findByUser("bob")).isEmpty();
            assertThat(store.hasAny("alice")).isTrue();
            assertThat(store.hasAny("bob")).isFalse();
            CredentialRecord stored = store.findById("AAAA").orElseThrow();
            assertThat(stored.publicKeyCose()).containsExactly(1, 2, 3);
            assertThat(stored.signCount()).isEqualTo(5);
            assertThat(stored.name()).isEqualTo("Blue key");
        }
    }

    @Test
    void aCloneSignalDisablesWithAReasonUntilAnAdminEnables() {
        try (Database db = backendStore.open()) {
            WebAuthnCredentials store = new WebAuthnCredentials(db, new SecureRandom());
            WebAuthnUser alice = store.user("alice");
            store.add(key("AAAA", alice, "Blue key"));
            CredentialRecord used = store.findById("AAAA").orElseThrow().withUse(9, CLOCK.instant());
            assertThat(store.update(used)).isTrue();
            assertThat(store.findById("AAAA").orElseThrow().signCount()).isEqualTo(9);
            assertThat(store.findById("AAAA").orElseThrow().lastUsed()).isEqualTo(CLOCK.instant());

            assertThat(store.update(used.withDisabled(true))).isTrue();
            assertThat(store.find("alice", "AAAA").orElseThrow().disabledReason()).contains("clone_suspected");
            assertThat(store.update(used)).as("only an admin re-enables").isTrue();
            assertThat(store.findById("AAAA").orElseThrow().disabled()).isTrue();
            assertThat(store.hasAny("alice")).as("a disabled key still makes the password alone not enough")
                    .isTrue();

            assertThat(store.enable("bob", "AAAA")).as("not bob's").isFalse();
            assertThat(store.enable("alice", "AAAA")).isTrue();
            assertThat(store.enable("alice", "AAAA")).as("only when disabled").isFalse();
            assertThat(store.find("alice", "AAAA").orElseThrow().disabledReason()).isEmpty();
            assertThat(store.findById("AAAA").orElseThrow().disabled()).isFalse();
        }
    }

    @Test
    void theLastUsableSecondFactorIsNeverRemovedWhateverItsKind() {
        try (Database db = backendStore.open()) {
            SecondFactors factors = new SecondFactors(db, new SecretBox(EncryptionKey.generate()), CLOCK,
                    new SecureRandom());
            WebAuthnCredentials keys = factors.webauthn();
            WebAuthnUser alice = keys.user("alice");
            keys.add(key("AAAA", alice, "Blue key"));
            assertThat(factors.hasSecondFactor("alice")).isTrue();
            assertThat(keys.removeUnlessLast("alice", "AAAA")).as("the only factor").isFalse();

            TotpCredentials.Enrolment app = factors.totp().startEnrolment("alice", "Phone", TotpParameters.defaults());
            assertThat(keys.removeUnlessLast("alice", "AAAA")).as("a pending app does not count").isFalse();
            factors.totp().activate("alice", app.credential().id());
            keys.add(key("BBBB", alice, "Spare key"));
            keys.update(keys.findById("BBBB").orElseThrow().withDisabled(true));

            assertThat(keys.removeUnlessLast("alice", "AAAA")).as("the app remains").isTrue();
            assertThat(factors.totp().removeUnlessLast("alice", app.credential().id()))
                    .as("a disabled key is no usable factor").isFalse();
            keys.enable("alice", "BBBB");
            assertThat(factors.totp().removeUnlessLast("alice", app.credential().id())).isTrue();
            assertThat(keys.removeUnlessLast("alice", "BBBB")).isFalse();
            assertThat(keys.removeAll("alice")).isEqualTo(1);
            assertThat(factors.hasSecondFactor("alice")).isFalse();
        }
    }
}
