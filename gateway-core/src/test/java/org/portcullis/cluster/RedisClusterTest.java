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
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.enrolment.InvitationCode;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RedisServer;
import org.portcullis.server.SignInAssembly;
import org.portcullis.session.SessionInvalidation;

/**
 * Two gateway nodes on one SQLite directory and one real Redis ({@code cache.redis}, staleness budget 1 s), driven as
 * a browser behind a load balancer would be: what one node starts, the other finishes; what one node ends, the other
 * refuses; and a Redis outage refuses signed-in requests instead of answering from a copy nobody can vouch for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
    static final Duration BUDGET = Duration.ofSeconds(1);

    @TempDir
    static Path dir;

    static RedisServer redis;
    static ClusterNodes cluster;

    @BeforeAll
    static void start() throws Exception {
        RedisRequirement.require();
        redis = RedisServer.start(dir.resolve("redis"));
        cluster = ClusterNodes.start(dir, 2, true, "cache:\n  redis:\n    url: " + redis.url()
                + "\n    staleness_budget: 1s\n    command_timeout: 500ms\n");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(5) // last: alice has a key afterwards, and every later sign-in would owe a second factor
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

        // Finished on node 2: the challenge node 1 issued is there, in Redis.
        RawResponse registered = cluster.postJson(2, "/.portcullis/webauthn/register", cookie, csrf, finish);
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
        assertThat(cluster.node(2).signIn().orElseThrow().secondFactors().webauthn().keys("alice")).hasSize(1);

        // The same answer again, on node 1, with the rotated session: the challenge is gone everywhere.
        String rotated = ClusterNodes.cookiePair(registered, "__Host-portcullis");
        String fresh = registered.bodyText().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
        RawResponse replayed = cluster.postJson(1, "/.portcullis/webauthn/register", rotated, fresh, finish);
        assertThat(replayed.status()).isNotEqualTo(200);
        assertThat(cluster.node(1).signIn().orElseThrow().secondFactors().webauthn().keys("alice")).hasSize(1);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    @Order(1)
    void ssoCodeIssuedOnNodeOneIsRedeemedOnNodeTwoExactlyOnce() throws Exception {
        ClusterNodes.PendingSignIn pending = cluster.signInUpToCallback(1, 1, ClusterNodes.PASSWORD);
        assertThat(pending.answer().status()).isEqualTo(303);
        assertThat(pending.callbackTarget()).startsWith("/.portcullis/callback?code=");

        RawResponse first = cluster.navigate(2, "app.test", pending.callbackTarget(), pending.hostState());
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.header("Location")).isEqualTo("/records");
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
    }

    @Test
    @Order(2)
    void anInvalidationPublishedOnNodeOneEmptiesNodeTwosCacheWithinOneSecond() throws Exception {
        String appCookie = cluster.signedIn(1, 1, 2);
        SignInAssembly two = cluster.node(2).signIn().orElseThrow();
        // Node 2 caches the session on a request (its store watch may empty it once more after node 1's sign-in
        // write: the two share one SQLite file).
        assertThat(within(Duration.ofSeconds(2), () -> status(2, appCookie) == 200
                && two.sessionCache().size() > 0)).isTrue();

        // No store change at all: only the fan-out channel can tell node 2.
        cluster.node(1).signIn().orElseThrow().sessionInvalidations()
                .publish(new SessionInvalidation.OneUser("alice"));

        assertThat(within(Duration.ofSeconds(1), () -> two.sessionCache().size() == 0)).isTrue();
    }

    @Test
    @Order(3)
    void signOutOnNodeOneIsRefusedOnNodeTwoWithinOneSecond() throws Exception {
        ClusterNodes.PendingSignIn pending = cluster.signInUpToCallback(1, 1, ClusterNodes.PASSWORD);
        RawResponse callback = cluster.navigate(2, "app.test", pending.callbackTarget(), pending.hostState());
        String appCookie = ClusterNodes.cookiePair(callback, "__Host-portcullis");
        assertThat(cluster.navigate(2, "app.test", "/records", appCookie).status()).isEqualTo(200);

        RawResponse account = cluster.navigate(1, "login.test", "/.portcullis/", pending.portalCookie());
        String token = account.bodyText().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        RawResponse out = cluster.postForm(1, "/.portcullis/logout", pending.portalCookie(),
                "csrf=" + ClusterNodes.encode(token));
        assertThat(out.status()).isEqualTo(200);

        assertThat(within(Duration.ofSeconds(1), () -> status(2, appCookie) != 200)).isTrue();
        assertThat(status(2, appCookie)).isEqualTo(302); // to the portal: signed out
    }

    @Test
    @Order(4)
    void redisDownRefusesSignedInRequestsAndTheNodeRecoversWhenItReturns() throws Exception {
        String appCookie = cluster.signedIn(1, 1, 2);
        assertThat(status(2, appCookie)).isEqualTo(200);

        redis.stop();
        // Within the budget (plus a heartbeat) every node refuses; from then on nothing passes, on either node.
        // Each node counts its own budget from the last heartbeat it heard, so wait for both.
        assertThat(within(BUDGET.plusSeconds(1), () -> status(2, appCookie) == 503)).isTrue();
        assertThat(within(BUDGET.plusSeconds(1), () -> status(1, appCookie) == 503)).isTrue();
        drainUpstream(); // what passed within the budget (documented)
        List<Integer> during = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            during.add(status(1 + i % 2, appCookie));
        }
        assertThat(during).containsOnly(503);
        assertThat(cluster.upstream.takeRequest(Duration.ofMillis(50))).isNull();

        redis.start();
        assertThat(within(Duration.ofSeconds(10), () -> status(2, appCookie) == 200
                && status(1, appCookie) == 200)).isTrue();
    }

    private static void drainUpstream() {
        while (cluster.upstream.takeRequest(Duration.ofMillis(1)) != null) {
            // dropped
        }
    }

    private static int status(int node, String appCookie) {
        try {
            return cluster.navigate(node, "app.test", "/records", appCookie).status();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds or {@code limit} passed (an async effect; no sleep stands for time). */
    static boolean within(Duration limit, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return condition.getAsBoolean();
    }
}
