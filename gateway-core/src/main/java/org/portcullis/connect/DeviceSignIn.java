package org.portcullis.connect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * The device-code sign-in of the command ({@code --device}; RFC 8628), for a computer without a browser: the gateway
 * gives a device code (kept in memory, never printed) and a short user code; the command prints where to type the
 * user code, then polls until the user approved in the portal (signed in there with two factors, on any device),
 * denied, or the code expired. Gateways turn it off by default ({@code connect.device_code}); then the gateway's
 * refusal is printed and the sign-in fails.
 */
final class DeviceSignIn implements SignIn {
    static final String DEVICE = "/.portcullis/connect/device";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Pattern DEVICE_CODE = Pattern.compile("\"device_code\":\"([A-Za-z0-9_-]{43})\"");
    private static final Pattern USER_CODE = Pattern.compile("\"user_code\":\"([A-Z0-9-]{4,20})\"");
    private static final Pattern URI = Pattern.compile("\"verification_uri\":\"(https://[^\"\\s]{1,200})\"");
    private static final Pattern INTERVAL = Pattern.compile("\"interval\":([0-9]{1,3})");
    private static final Pattern ERROR = Pattern.compile("\"error\":\"([a-z_]{1,64})\"");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([A-Za-z0-9_-]{43})\"");

    private final GatewayEndpoint gateway;
    private final PrintWriter log;
    private final Duration wait;

    DeviceSignIn(GatewayEndpoint gateway, PrintWriter log, Duration wait) {
        this.gateway = gateway;
        this.log = log;
        this.wait = wait;
    }

    @Override
    public String signIn(String target) throws IOException, LoopbackSignIn.SignInFailed {
        Answer start = post(DEVICE, "target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        if (start.status() != 200) {
            String error = start.error();
            throw new LoopbackSignIn.SignInFailed("device_code_disabled".equals(error)
                    ? "the gateway does not allow device-code sign-in (connect.device_code is off); run portcullis"
                    + " connect without --device on a computer with a browser"
                    : "the gateway refused the device-code sign-in (status " + start.status()
                    + (error.isEmpty() ? "" : ", " + error) + ")");
        }
        Matcher deviceCode = DEVICE_CODE.matcher(start.body());
        Matcher userCode = USER_CODE.matcher(start.body());
        Matcher uri = URI.matcher(start.body());
        Matcher interval = INTERVAL.matcher(start.body());
        if (!deviceCode.find() || !userCode.find() || !uri.find()) {
            throw new LoopbackSignIn.SignInFailed("the gateway's device-code answer was not understood");
        }
        long pause = Math.max(1, interval.find() ? Integer.parseInt(interval.group(1)) : 5) * 1000L;
        log.println("To sign in, open " + uri.group(1) + " in a browser on any device, sign in, and enter the code "
                + userCode.group(1) + " (valid 5 minutes). Enter it only if you started this command yourself.");
        long deadline = System.nanoTime() + wait.toNanos();
        String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8) + "&device_code="
                + deviceCode.group(1);
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoopbackSignIn.SignInFailed("interrupted");
            }
            Answer poll = post(LoopbackSignIn.TOKEN, form);
            Matcher token = ACCESS_TOKEN.matcher(poll.body());
            if (poll.status() == 200 && token.find()) {
                return token.group(1);
            }
            switch (poll.error()) {
                case "authorization_pending" -> { }
                case "slow_down" -> pause += 1000;
                case "access_denied" -> throw new LoopbackSignIn.SignInFailed("the sign-in was denied in the portal");
                case "expired_token" -> throw new LoopbackSignIn.SignInFailed("the code expired; run the command"
                        + " again for a new one");
                default -> throw new LoopbackSignIn.SignInFailed("the gateway refused the device code (status "
                        + poll.status() + ", " + poll.error() + ")");
            }
        }
        throw new LoopbackSignIn.SignInFailed("no approval within " + wait.toSeconds() + " seconds");
    }

    private record Answer(int status, String body) {
        String error() {
            Matcher error = ERROR.matcher(body);
            return error.find() ? error.group(1) : "";
        }
    }

    private Answer post(String path, String formText) throws IOException {
        byte[] form = formText.getBytes(StandardCharsets.US_ASCII);
        try (SSLSocket socket = gateway.open()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + gateway.authority()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length
                    + "\r\nAccept: application/json\r\nConnection: close\r\nUser-Agent: portcullis-connect\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(form);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead head = HttpHead.read(in);
            return new Answer(head.status(), new String(head.body(in, 4096), StandardCharsets.US_ASCII));
        }
    }
}
