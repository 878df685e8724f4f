package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.fixtures.MutableClock;
import org.portcullis.fixtures.RawResponse;
import org.portcullis.fixtures.RecordedRequest;

/**
 * JWT assertions on a {@code jwt: true} route (other.test, lifetime 60 s) through the running gateway (issue 14):
 * the requests of one session carry one assertion while more than half its lifetime remains, and a new one as soon
 * as anything it asserts changes (the account's groups, the session) or half its lifetime has passed.
 */
@Timeout(120)
class AssertionReuseTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    SignInGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = SignInGateway.start(dir, clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** Signs {@code user} in at other.test; returns its cookie. */
    String signedIn(String user, String password) throws Exception {
        SignInGateway.SignIn portal = gateway.signIn(user, password, "https://other.test:" + gateway.port + "/b");
        String other = gateway.callback(portal.location()).cookie();
        gateway.drainUpstream();
        return other;
    }

    /** The assertion the upstream received for one request to other.test with {@code cookie}. */
    String assertion(String cookie) throws Exception {
        RawResponse answer = gateway.navigate("other.test", "/b", cookie);
        assertThat(answer.status()).isEqualTo(200);
        RecordedRequest received = gateway.upstream.takeRequest(WAIT);
        assertThat(received.headers("X-Portcullis-Assertion")).hasSize(1);
        return received.header("X-Portcullis-Assertion");
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void twoRequestsOfOneSessionCarryTheSameAssertion() throws Exception {
        String alice = signedIn("alice", SignInGateway.PASSWORD);

        String first = assertion(alice);
        clock.advance(Duration.ofSeconds(29));
        String second = assertion(alice);

        assertThat(second).isEqualTo(first);
        assertThat(claims(second).getJWTID()).isEqualTo(claims(first).getJWTID());
    }

    @Test
    void anAssertionPastHalfItsLifetimeIsReplaced() throws Exception {
        String alice = signedIn("alice", SignInGateway.PASSWORD);
        String first = assertion(alice);

        clock.advance(Duration.ofSeconds(30));
        String renewed = assertion(alice);

        assertThat(renewed).isNotEqualTo(first);
        assertThat(claims(renewed).getJWTID()).isNotEqualTo(claims(first).getJWTID());
        assertThat(claims(renewed).getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(claims(renewed).getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(60));
    }

    @Test
    void aGroupChangeYieldsANewAssertionAtOnce() throws Exception {
        String alice = signedIn("alice", SignInGateway.PASSWORD);
        String first = assertion(alice);
        assertThat(claims(first).getStringListClaim("groups")).containsExactly("staff", "clinicians");

        Path users = gateway.dir.resolve("users.yaml");
        Files.writeString(users, Files.readString(users).replace("groups: [staff, clinicians]", "groups: [staff]"));
        gateway.server.signIn().orElseThrow().usersReloader().reload();
        String changed = assertion(alice);

        assertThat(changed).isNotEqualTo(first);
        assertThat(claims(changed).getStringListClaim("groups")).containsExactly("staff");
    }

    @Test
    void anotherSessionOfTheSameUserGetsItsOwnAssertion() throws Exception {
        String one = signedIn("alice", SignInGateway.PASSWORD);
        String two = signedIn("alice", SignInGateway.PASSWORD);

        String first = assertion(one);
        String second = assertion(two);

        assertThat(second).isNotEqualTo(first);
        assertThat(claims(second).getSubject()).isEqualTo("alice");
    }
}
