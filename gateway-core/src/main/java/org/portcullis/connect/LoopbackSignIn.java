package org.portcullis.connect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * One sign-in of the command (RFC 8252 §7.3, RFC 7636): a fresh PKCE verifier and {@code state}, a one-shot HTTP
 * listener on {@code 127.0.0.1} at a port the system picks, the portal's authorize URL handed to the {@link Browser},
 * then the redirect's code (only with the same {@code state}) exchanged with the verifier for the token. The browser
 * does the portal's normal sign-in with both factors; the command never sees a password or a code of the user's.
 */
final class LoopbackSignIn implements SignIn {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    static final String AUTHORIZE = "/.portcullis/connect/authorize";
    static final String TOKEN = "/.portcullis/connect/token";
    static final String TUNNEL = "/.portcullis/connect/tunnel/";
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([A-Za-z0-9_-]{43})\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The sign-in did not give a token; the message says why, for the user. */
    static final class SignInFailed extends Exception {
        SignInFailed(String message) {
            super(message);
        }
    }

    private final GatewayEndpoint gateway;
    private final Browser browser;
    private final Duration wait;
    private volatile Throwable failure;

    LoopbackSignIn(GatewayEndpoint gateway, Browser browser, Duration wait) {
        this.gateway = gateway;
        this.browser = browser;
        this.wait = wait;
    }

    /** Signs in for {@code target}; returns the token. */
    @Override
    public String signIn(String target) throws IOException, SignInFailed {
        String verifier = random(32);
        String state = random(16);
        try (ServerSocket loopback = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            String redirect = "http://127.0.0.1:" + loopback.getLocalPort() + "/callback";
            String url = gateway.urlOf(AUTHORIZE + "?response_type=code&target=" + encode(target)
                    + "&redirect_uri=" + encode(redirect) + "&state=" + state + "&code_challenge="
                    + challenge(verifier) + "&code_challenge_method=S256");
            // Its own thread: a browser launcher that waits (or a person's browser that is slow to start) must not
            // keep the loopback listener from answering the redirect.
            Thread opener = new Thread(() -> {
                try {
                    browser.open(url);
                } catch (IOException | RuntimeException | AssertionError e) {
                    failure = e;
                }
            }, "portcullis-connect-browser");
            opener.setDaemon(true);
            opener.start();
            String code = awaitCode(loopback, state);
            return exchange(code, verifier, redirect);
        }
    }

    /** Answers requests to the loopback listener until one brings the code with our {@code state}. */
    private String awaitCode(ServerSocket loopback, String state) throws IOException, SignInFailed {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SignInFailed("no sign-in within " + wait.toSeconds() + " seconds"
                        + (failure == null ? "" : " (the browser could not be opened: " + failure + ")"));
            }
            loopback.setSoTimeout((int) Math.max(1, Math.min(left / 1_000_000, Integer.MAX_VALUE)));
            try (Socket browserConnection = loopback.accept()) {
                browserConnection.setSoTimeout(10_000);
                Optional<String> code = callback(browserConnection, state);
                if (code.isPresent()) {
                    return code.get();
                }
            } catch (SocketTimeoutException e) {
                // the deadline check above ends the wait
            }
        }
    }

    private static Optional<String> callback(Socket connection, String state) throws IOException {
        InputStream in = new BufferedInputStream(connection.getInputStream());
        HttpHead head;
        try {
            head = HttpHead.read(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] line = head.firstLine().split(" ");
        if (line.length != 3 || !line[0].equals("GET") || !line[1].startsWith("/callback?")) {
            respond(connection.getOutputStream(), 404, "Not found.");
            return Optional.empty();
        }
        Map<String, String> query = query(line[1].substring("/callback?".length()));
        String code = query.get("code");
        if (!state.equals(query.get("state")) || code == null || !code.matches("[A-Za-z0-9_-]{43}")) {
            respond(connection.getOutputStream(), 400, "This sign-in answer does not belong to this portcullis connect.");
            return Optional.empty();
        }
        respond(connection.getOutputStream(), 200,
                "Signed in. You can close this tab and go back to portcullis connect.");
        return Optional.of(code);
    }

    private String exchange(String code, String verifier, String redirect) throws IOException, SignInFailed {
        byte[] form = ("grant_type=authorization_code&code=" + code + "&code_verifier=" + verifier
                + "&redirect_uri=" + encode(redirect)).getBytes(StandardCharsets.US_ASCII);
        try (SSLSocket socket = gateway.open()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + TOKEN + " HTTP/1.1\r\nHost: " + gateway.authority()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length
                    + "\r\nAccept: application/json\r\nConnection: close\r\nUser-Agent: portcullis-connect\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(form);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead head = HttpHead.read(in);
            String body = new String(head.body(in, 4096), StandardCharsets.US_ASCII);
            Matcher token = ACCESS_TOKEN.matcher(body);
            if (head.status() != 200 || !token.find()) {
                throw new SignInFailed("the gateway refused the sign-in code (status " + head.status() + ")");
            }
            return token.group(1);
        }
    }

    private static void respond(OutputStream out, int status, String message) throws IOException {
        byte[] body = ("<!doctype html><meta charset=\"utf-8\"><title>portcullis connect</title><p>" + message
                + "</p>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : status == 400 ? " Bad Request" : " Not Found")
                + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static Map<String, String> query(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.putIfAbsent(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed field is no field
                }
            }
        }
        return fields;
    }

    /** The tunnel endpoint's path for {@code target}. */
    static String tunnelPath(String target) {
        return TUNNEL + target;
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("LoopbackSignIn: SHA-256 missing", e);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
