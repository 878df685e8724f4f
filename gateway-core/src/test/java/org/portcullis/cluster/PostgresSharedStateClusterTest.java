package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.extension.client.RegistrationExtensionClientOutput;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.ClientPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.PostgresServer;
import org.portcullis.fixtures.RawResponse;

/**
 * Two gateway nodes on one PostgreSQL store and no Redis (docs/cluster.md, "Without Redis"), started as
 * {@code ./portcullis run} starts them and addressed as a load balancer would: an SSO callback code issued on node 1
 * is redeemed on node 2 exactly once, also when racers on both nodes present it at once; a security-key ceremony
 * started on node 1 finishes on node 2 and its challenge is used once; and the store never holds a code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class PostgresSharedStateClusterTest {
    static final int RACERS = 8;

    @TempDir
    static Path dir;

    static PostgresServer postgres;
    static String database;
    static ClusterNodes cluster;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.shared();
        database = postgres.newDatabase();
        cluster = ClusterNodes.start(dir, 2, false, "", """
                  backend: postgresql
                  postgresql:
                    url: %s
                    user: %s
                    password: "%s"
                    ssl_mode: disable
                    pool_size: 4
                    connect_timeout: 2s
                    query_timeout: 2s
                    staleness_budget: 2s
                """.formatted(postgres.url(database), PostgresServer.USER, PostgresServer.PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void ssoCodeIssuedOnNodeOneIsRedeemedOnNodeTwoExactlyOnceAndOnlyItsHashIsStored() throws Exception {
        ClusterNodes.PendingSignIn pending = cluster.signInUpToCallback(1, 1, ClusterNodes.PASSWORD);
        assertThat(pending.answer().status()).isEqualTo(303);
        assertThat(pending.callbackTarget()).startsWith("/.portcullis/callback?code=");
        String code = pending.callbackTarget().replaceFirst(".*[?&]code=([^&]+).*", "$1");
        List<String> pendingRows = storedText("sso_callback_codes");

        RawResponse first = cluster.navigate(2, "app.test", pending.callbackTarget(), pending.hostState());
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.header("Location")).as("node 2 redeems node 1's code").isEqualTo("/records");
        assertThat(pendingRows).as("the pending code was in PostgreSQL, by its hash only").hasSize(1)
                .allSatisfy(row -> assertThat(row).doesNotContain(code));
        String appCookie = ClusterNodes.cookiePair(first, "__Host-portcullis");
        assertThat(appCookie).isNotNull();
        assertThat(cluster.navigate(2, "app.test", "/records", appCookie).status()).isEqualTo(200);

        // The same code again, on either node: used up, nobody signed in.
        for (int node : new int[] {1, 2}) {
            RawResponse again = cluster.navigate(node, "app.test", pending.callbackTarget(), pending.hostState());
            assertThat(again.status()).isEqualTo(302);
            assertThat(again.header("Location")).startsWith(ClusterNodes.PORTAL + "/.portcullis/login");
            assertThat(ClusterNodes.cookiePair(again, "__Host-portcullis")).isNull();
        }
        assertThat(storedText("sso_callback_codes")).as("taken: gone from the store").isEmpty();
    }

    @Test
    @Order(2)
    void ofRacersOnBothNodesPresentingOneCallbackCodeExactlyOneIsSignedIn() throws Exception {
        ClusterNodes.PendingSignIn pending = cluster.signInUpToCallback(2, 2, ClusterNodes.PASSWORD);
        assertThat(pending.callbackTarget()).startsWith("/.portcullis/callback?code=");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<RawResponse>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int node = 1 + i % 2;
                Callable<RawResponse> race = () -> {
                    go.await();
                    return cluster.navigate(node, "app.test", pending.callbackTarget(), pending.hostState());
                };
                answers.add(racers.submit(race));
            }
            go.countDown();
            int signedIn = 0;
            for (Future<RawResponse> answer : answers) {
                RawResponse response = answer.get();
                assertThat(response.status()).isEqualTo(302);
                if (ClusterNodes.cookiePair(response, "__Host-portcullis") != null) {
                    assertThat(response.header("Location")).isEqualTo("/records");
                    signedIn++;
                } else {
                    assertThat(response.header("Location")).startsWith(ClusterNodes.PORTAL + "/.portcullis/login");
                }
            }
            assertThat(signedIn).as("racers signed in with one code").isEqualTo(1);
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    @Order(3) // last: alice has a key afterwards, and every later sign-in would owe a second factor
    void aSecurityKeyCeremonyStartedOnNodeOneFinishesOnNodeTwoAndItsChallengeIsUsedOnce() throws Exception {
        String cookie = cluster.portalSignIn(1);
        String csrf = cluster.csrf(1, "/.portcullis/security-key", cookie);
        InvitationCode invitation = cluster.node(1).signIn().orElseThrow().secondFactors().invitations()
                .issue("alice", Duration.ofHours(1), Clock.systemUTC().instant());
        RawResponse redeemed = cluster.postForm(1, "/.portcullis/security-key", cookie, "csrf="
                + ClusterNodes.encode(csrf) + "&step=invitation&invitation="
                + ClusterNodes.encode(invitation.reveal()));
        assertThat(redeemed.status()).isEqualTo(200);

        RawResponse options = cluster.postJson(1, "/.portcullis/webauthn/register/options", cookie, csrf,
                "{\"name\":\"Blue key\"}");
        assertThat(options.status()).as(options.bodyText()).isEqualTo(200);
        List<String> challengeRows = storedText("webauthn_challenges");
        String json = options.bodyText();
        PublicKeyCredentialCreationOptions creation = new ObjectConverter().getJsonConverter().readValue(
                json.substring("{\"publicKey\":".length(), json.length() - 1),
                PublicKeyCredentialCreationOptions.class);
        PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> created =
                new ClientPlatform(new Origin(ClusterNodes.PORTAL),
                        new WebAuthnAuthenticatorAdaptor(new PackedAuthenticator())).create(creation);
        String finish = "{\"name\":\"Blue key\",\"rd\":\"\",\"credential\":{\"response\":{\"clientDataJSON\":\""
                + b64(created.getResponse().getClientDataJSON()) + "\",\"attestationObject\":\""
                + b64(created.getResponse().getAttestationObject()) + "\",\"transports\":[\"usb\"]}}}";

        // Finished on node 2: the challenge node 1 issued is there, in PostgreSQL.
        RawResponse registered = cluster.postJson(2, "/.portcullis/webauthn/register", cookie, csrf, finish);
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
        assertThat(cluster.node(2).signIn().orElseThrow().secondFactors().webauthn().keys("alice")).hasSize(1);
        assertThat(challengeRows).as("node 1's challenge was in PostgreSQL").hasSize(1);
        assertThat(storedText("webauthn_challenges")).as("consumed: gone").isEmpty();

        // The same answer again, on node 1, with the rotated session: the challenge is gone everywhere.
        String rotated = ClusterNodes.cookiePair(registered, "__Host-portcullis");
        String fresh = registered.bodyText().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
        RawResponse replayed = cluster.postJson(1, "/.portcullis/webauthn/register", rotated, fresh, finish);
        assertThat(replayed.status()).isNotEqualTo(200);
        assertThat(cluster.node(1).signIn().orElseThrow().secondFactors().webauthn().keys("alice")).hasSize(1);
    }

    /** Every row of {@code table}, its columns as text joined by '|' (what a dump of the store would show). */
    static List<String> storedText(String table) throws SQLException {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", PostgresServer.USER);
        login.setProperty("password", PostgresServer.PASSWORD);
        try (Connection c = DriverManager.getConnection("jdbc:" + postgres.url(database), login);
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT * FROM " + table)) {
            List<String> found = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    byte[] raw = rows.getBytes(i);
                    row.append(raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1)).append('|');
                }
                found.add(row.toString());
            }
            return found;
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
