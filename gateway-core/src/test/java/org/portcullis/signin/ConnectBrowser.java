package org.portcullis.signin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.portcullis.connect.Browser;
import org.portcullis.fixtures.RawResponse;

/**
 * The "system browser" of {@code portcullis connect} in tests: a person who opens the sign-in address, signs in at the
 * portal with the password and a TOTP code from oathtool (the portal's normal sign-in, over HTTP with the test CA),
 * and whose browser then follows the portal's redirect to the command's loopback address. It records every address
 * it was given and the portal's last answer.
 */
final class ConnectBrowser implements Browser {
    private final TotpFlow flow;
    private final String user;
    private final String password;
    private final String secret;
    final List<String> opened = new ArrayList<>();
    final AtomicInteger signIns = new AtomicInteger();
    volatile RawResponse last;
    /** The portal session cookie of the latest sign-in. */
    volatile String cookie;

    /** @param secret the user's TOTP secret (Base32), or null for a user without a second factor */
    ConnectBrowser(TotpFlow flow, String user, String password, String secret) {
        this.flow = flow;
        this.user = user;
        this.password = password;
        this.secret = secret;
    }

    @Override
    public synchronized void open(String url) throws IOException {
        opened.add(url);
        signIns.incrementAndGet();
        String prefix = flow.gateway.portalOrigin();
        if (!url.startsWith(prefix)) {
            throw new AssertionError("the command opened an address off the portal: " + url);
        }
        String target = url.substring(prefix.length());
        RawResponse first = flow.gateway.navigate("login.test", target, "");
        last = first;
        if (first.status() != 303) {
            return; // the portal answered with a page (a refusal): a person would read it and stop
        }
        // The portal's sign-in, which continues to the authorize address afterwards.
        String rd = SignInGateway.decode(first.header("Location").replaceFirst(".*[?&]rd=([^&]*).*", "$1"));
        flow.unlock(user);
        // Each sign-in in its own TOTP step: a step is accepted once.
        if (flow.clock instanceof org.portcullis.fixtures.MutableClock moving) {
            moving.advance(Duration.ofSeconds(30));
        }
        String session = flow.password(user, password, rd);
        RawResponse answer = flow.submitCode(session, flow.code(secret));
        String current = SignInGateway.cookiePair(answer, "__Host-portcullis");
        cookie = current;
        follow(answer, current);
    }

    /** Follows the portal's redirects on login.test, then the loopback redirect, as a browser would. */
    private void follow(RawResponse answer, String sessionCookie) throws IOException {
        RawResponse response = answer;
        for (int hop = 0; hop < 8; hop++) {
            last = response;
            String location = response.header("Location");
            if (response.status() / 100 != 3 || location == null) {
                return;
            }
            if (location.startsWith("http://127.0.0.1:")) {
                loopback(location);
                return;
            }
            String path = location.startsWith(flow.gateway.portalOrigin())
                    ? location.substring(flow.gateway.portalOrigin().length()) : location;
            response = flow.gateway.navigate("login.test", path, sessionCookie);
        }
        throw new AssertionError("too many redirects");
    }

    /** A browser's GET of the loopback redirect (plain HTTP to 127.0.0.1). */
    static String loopback(String location) throws IOException {
        String rest = location.substring("http://127.0.0.1:".length());
        int port = Integer.parseInt(rest.substring(0, rest.indexOf('/')));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rest.substring(rest.indexOf('/')) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Signs {@code user} in at the portal with both factors (no connect involved); returns the session cookie. */
    static String twoFactorCookie(TotpFlow flow, String user, String password, String secret) throws IOException {
        if (flow.clock instanceof org.portcullis.fixtures.MutableClock moving) {
            moving.advance(Duration.ofSeconds(30));
        }
        flow.unlock(user);
        String session = flow.password(user, password, "/.portcullis/");
        RawResponse answer = flow.submitCode(session, flow.code(secret));
        return SignInGateway.cookiePair(answer, "__Host-portcullis");
    }
}
