package org.portcullis.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the profiling harness behind {@code bench/profile-signed-in.sh} (bench/README.md, "Where a signed-in
 * request spends its time"). Starts the gateway as the sign-in tests do (TLS listener, users file, store, audit
 * trail), signs alice in through the portal, then drives {@code wrk} with her cookie against a {@code one_factor}
 * route and a {@code jwt: true} route while a JFR recording with the {@code profile} settings runs. Runs only with
 * {@code -Dportcullis.profile=DIR}; the recordings land in DIR. Netty's paranoid leak detection, which the test JVM
 * turns on and which records a stack trace per buffer, is switched off first so it does not dominate the profile.
 */
@EnabledIfSystemProperty(named = "portcullis.profile", matches = ".+")
class SignedInLoopProfile {

    @Test
    void profileASignedInRequestLoop(@TempDir Path dir) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        Path out = Path.of(System.getProperty("portcullis.profile"));
        Files.createDirectories(out);
        String seconds = System.getProperty("portcullis.profile.seconds", "20");
        try (SignInGateway gateway = SignInGateway.start(dir, Clock.systemUTC())) {
            for (String host : List.of("app.test", "other.test")) {
                SignInGateway.SignIn portal = gateway.signIn("alice", SignInGateway.PASSWORD,
                        "https://" + host + ":" + gateway.port + "/x");
                String cookie = gateway.callback(portal.location()).cookie();
                String name = host.equals("app.test") ? "signed-in" : "jwt";
                // Warm-up on one connection without recording, then the recorded run.
                wrk(gateway, host, cookie, "1", "10", out.resolve(name + "-warmup.txt"));
                try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
                    recording.start();
                    try {
                        wrk(gateway, host, cookie, CONNECTIONS, seconds, out.resolve(name + "-wrk.txt"));
                    } finally {
                        recording.stop();
                        recording.dump(out.resolve(name + ".jfr"));
                    }
                }
                gateway.drainUpstream();
            }
        }
    }

    /** Keep-alive connections of the recorded run: enough to keep both event loops busy, few handshakes. */
    static final String CONNECTIONS = System.getProperty("portcullis.profile.connections", "16");

    private static void wrk(SignInGateway gateway, String host, String cookie, String connections, String seconds,
                            Path report) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t" + Math.min(2, Integer.parseInt(connections)),
                "-c" + connections, "-d" + seconds + "s", "--latency",
                "-H", "Host: " + host + ":" + gateway.port, "-H", "Cookie: " + cookie,
                "https://127.0.0.1:" + gateway.port + "/x")
                .redirectErrorStream(true).start();
        String text = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor()).as(text).isZero();
        Files.writeString(report, text);
        // A saturated machine may time a few requests out (wrk's report says so); a run that served nothing is void.
        assertThat(text).as("requests were served").doesNotContain(" 0 requests");
    }
}
