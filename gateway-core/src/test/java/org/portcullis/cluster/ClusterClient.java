package org.portcullis.cluster;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.fixtures.RawHttpClient;
import org.portcullis.fixtures.RawResponse;

/**
 * A browser's requests to a {@link ClusterSite}, each on a fresh TLS connection to the port the test picks: a node's
 * own port (as if the load balancer had sent the connection there) or the balancer's. {@code Host} always names the
 * balancer's port, the only one a browser knows.
 */
final class ClusterClient {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("[?&]state=([A-Za-z0-9_-]{43})");
    static final Duration READ = Duration.ofSeconds(10);

    private final ClusterSite site;

    ClusterClient(ClusterSite site) {
        this.site = site;
    }

    /** One request on a fresh connection to {@code port}, closed after the answer. */
    RawResponse send(int port, String method, String host, String target, String headers, String body)
            throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(port, site.certs, host, null)) {
            return exchange(client, method, host, target, headers, body);
        }
    }

    /** One request on {@code client}'s connection, asking the server to close it after the answer. */
    RawResponse exchange(RawHttpClient client, String method, String host, String target, String headers,
                         String body) throws IOException {
        client.send(method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + site.balancerPort + "\r\n" + headers
                + (body == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                + "Connection: close\r\n\r\n" + (body == null ? "" : body));
        return client.readResponse(READ);
    }

    static String navigation(String cookies) {
        return "Accept: text/html\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: none\r\n" + cookieHeader(cookies);
    }

    RawResponse navigate(int port, String host, String target, String cookies) throws IOException {
        return send(port, "GET", host, target, navigation(cookies), null);
    }

    /** A form POST from the portal's own page. */
    RawResponse postForm(int port, String target, String cookies, String body) throws IOException {
        return send(port, "POST", "login.test", target, "Origin: " + site.portal()
                + "\r\nSec-Fetch-Site: same-origin\r\n" + cookieHeader(cookies), body);
    }

    /** A JSON POST from the portal's own page (the security-key script's fetch), with the session's CSRF header. */
    RawResponse postJson(int port, String target, String cookie, String csrf, String json) throws IOException {
        return sendJson(port, target, "Origin: " + site.portal() + "\r\nSec-Fetch-Site: same-origin\r\nX-CSRF-Token: "
                + csrf + "\r\n" + cookieHeader(cookie), json);
    }

    private RawResponse sendJson(int port, String target, String headers, String json) throws IOException {
        try (RawHttpClient client = RawHttpClient.connectTls(port, site.certs, "login.test", null)) {
            client.send("POST " + target + " HTTP/1.1\r\nHost: login.test:" + site.balancerPort + "\r\n" + headers
                    + "Content-Type: application/json\r\nContent-Length: "
                    + json.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + json);
            return client.readResponse(READ);
        }
    }

    /** {@code user} signed in at the portal itself on {@code port} (no protected host); the portal cookie pair. */
    String portalSignIn(int port, String user) throws IOException {
        RawResponse form = navigate(port, "login.test", "/.portcullis/login?rd=", "");
        Matcher token = CSRF_FIELD.matcher(form.bodyText());
        if (form.status() != 200 || !token.find()) {
            throw new AssertionError("no login form: " + form.statusLine());
        }
        RawResponse answer = postForm(port, "/.portcullis/login", cookiePair(form, "__Host-portcullis-csrf"),
                "username=" + encode(user) + "&password=" + encode(ClusterSite.PASSWORD) + "&csrf="
                        + encode(token.group(1)) + "&rd=");
        String cookie = cookiePair(answer, "__Host-portcullis");
        if (answer.status() != 303 || cookie == null) {
            throw new AssertionError("sign-in refused: " + answer.statusLine());
        }
        return cookie;
    }

    /** The CSRF token of the form on the portal page {@code target} for {@code cookie}. */
    String csrf(int port, String target, String cookie) throws IOException {
        RawResponse page = navigate(port, "login.test", target, cookie);
        Matcher token = CSRF_FIELD.matcher(page.bodyText());
        if (page.status() != 200 || !token.find()) {
            throw new AssertionError("no form at " + target + ": " + page.statusLine());
        }
        return token.group(1);
    }

    /**
     * {@code user}'s password sign-in towards {@code app.test}{@code target}: the host's challenge on
     * {@code challengePort} (the SSO state cookie), the login form and its POST on {@code portalPort}. Returns the
     * portal's answer with the host's state cookie and the portal session cookie.
     */
    PasswordStep password(int challengePort, int portalPort, String user, String target) throws IOException {
        RawResponse challenge = navigate(challengePort, "app.test", target, "");
        String hostState = cookiePair(challenge, "__Host-portcullis-sso");
        Matcher state = STATE.matcher(String.valueOf(challenge.header("Location")));
        if (challenge.status() != 302 || hostState == null || !state.find()) {
            throw new AssertionError("no challenge: " + challenge.statusLine() + " " + challenge.header("Location"));
        }
        String rd = site.app() + target;
        RawResponse form = navigate(portalPort, "login.test", "/.portcullis/login?rd=" + encode(rd) + "&state="
                + state.group(1), "");
        Matcher token = CSRF_FIELD.matcher(form.bodyText());
        if (form.status() != 200 || !token.find()) {
            throw new AssertionError("no login form: " + form.statusLine());
        }
        String flows = cookiePair(form, "__Host-portcullis-sso-flows");
        String cookies = cookiePair(form, "__Host-portcullis-csrf") + (flows == null ? "" : "; " + flows);
        RawResponse answer = postForm(portalPort, "/.portcullis/login", cookies, "username=" + encode(user)
                + "&password=" + encode(ClusterSite.PASSWORD) + "&csrf=" + encode(token.group(1)) + "&rd="
                + encode(rd));
        return new PasswordStep(answer, hostState, cookiePair(answer, "__Host-portcullis"));
    }

    /** The path and query of an absolute URL on app.test at the balancer's port (a callback or the target). */
    String onApp(String location) {
        if (location == null || !location.startsWith(site.app())) {
            throw new AssertionError("not a URL on app.test: " + location);
        }
        return location.substring(site.app().length());
    }

    /** What the portal answered the password with, and the cookies the browser holds now. */
    record PasswordStep(RawResponse answer, String hostState, String portalCookie) {
    }

    static String cookiePair(RawResponse response, String name) {
        for (String setCookie : response.headers("Set-Cookie")) {
            String pair = setCookie.substring(0, setCookie.indexOf(';'));
            if (pair.startsWith(name + "=") && pair.length() > name.length() + 1) {
                return pair;
            }
        }
        return null;
    }

    static String cookieHeader(String cookies) {
        return cookies == null || cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n";
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
