package org.portcullis.coverage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.portcullis.config.EntryPoint;

/**
 * Tries one entry point from where the command runs, as an outsider would, and says whether it answers around the
 * gateway. Safe to run every hour from a monitoring host:
 * <ul>
 *   <li>every step is bounded: the connection by {@code timeout}, the answer by {@code timeout} per read and
 *       {@value #MAX_HEAD} bytes;</li>
 *   <li>nothing is sent to a plain TCP service (RDP, SSH, a database): connecting is the whole test;</li>
 *   <li>to a web app, one {@code GET} of a path that needs sign-in at the gateway, with no cookie, no credentials and
 *       no body; only the status line and {@code Location} are read, then the connection is closed. GET changes
 *       nothing on a well-behaved server.</li>
 * </ul>
 * For {@code https} the server's certificate is not checked: the probe sends nothing secret, and an entry point with
 * a self-signed certificate is just as reachable. Verdicts: {@link ProbeResult.Verdict}.
 */
public final class EntryPointProbe {
    static final int MAX_HEAD = 8192;
    static final String USER_AGENT = "portcullis-coverage-check";

    private final Duration timeout;

    public EntryPointProbe(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @param hostHeader   the Host to ask for (the protected route's host)
     * @param path         a path that needs sign-in at the gateway
     * @param portalOrigin the gateway's portal origin ({@code https://login.example.org}), or null without one
     */
    public ProbeResult probe(EntryPoint entryPoint, String hostHeader, String path, String portalOrigin) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(entryPoint.address().host(), entryPoint.address().port()), millis);
            } catch (UnknownHostException e) {
                return new ProbeResult(entryPoint, ProbeResult.Verdict.UNRESOLVED, "name does not resolve from here");
            } catch (ConnectException e) {
                return new ProbeResult(entryPoint, ProbeResult.Verdict.CLOSED, "connection refused");
            } catch (SocketTimeoutException | NoRouteToHostException e) {
                return new ProbeResult(entryPoint, ProbeResult.Verdict.NO_ANSWER, "no answer within "
                        + timeout.toMillis() + " ms");
            }
            if (!entryPoint.isHttp()) {
                return new ProbeResult(entryPoint, ProbeResult.Verdict.REACHABLE, "TCP connection accepted");
            }
            socket.setSoTimeout(millis);
            return ask(entryPoint, socket, hostHeader, path, portalOrigin);
        } catch (IOException e) {
            // connected, then the exchange failed: the port still answered
            return new ProbeResult(entryPoint, ProbeResult.Verdict.REACHABLE, "TCP connection accepted; "
                    + e.getClass().getSimpleName());
        }
    }

    private ProbeResult ask(EntryPoint entryPoint, Socket plain, String hostHeader, String path, String portalOrigin)
            throws IOException {
        Socket socket = entryPoint.scheme().equals("https") ? tls(plain, entryPoint.address().host()) : plain;
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: " + USER_AGENT
                + "\r\nAccept: text/html\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(socket.getInputStream());
        int status = status(head);
        if (status < 0) {
            return new ProbeResult(entryPoint, ProbeResult.Verdict.REACHABLE, "TCP connection accepted; no HTTP answer");
        }
        String location = header(head, "location");
        String seen = "HTTP " + status + " for GET " + path;
        if (status >= 300 && status < 400 && location != null && portalOrigin != null
                && location.startsWith(portalOrigin + "/")) {
            return new ProbeResult(entryPoint, ProbeResult.Verdict.GATEWAY, seen + ", sent to the gateway's portal");
        }
        if (status >= 200 && status < 400) {
            return new ProbeResult(entryPoint, ProbeResult.Verdict.ANSWERED, seen + " without sign-in at the gateway");
        }
        return new ProbeResult(entryPoint, ProbeResult.Verdict.REACHABLE, seen
                + ": the port answers (the app's own sign-in at most, no gateway)");
    }

    private static Socket tls(Socket plain, String host) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host,
                    plain.getPort(), true);
            socket.startHandshake();
            return socket;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("TLS unavailable: " + e.getMessage(), e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_HEAD];
        int length = 0;
        while (length < buffer.length) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
            if (new String(buffer, 0, length, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                break;
            }
        }
        return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static int status(String head) {
        if (!head.startsWith("HTTP/1.") || head.length() < 12) {
            return -1;
        }
        try {
            return Integer.parseInt(head.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Accepts any certificate: the probe only learns whether the server answers, and sends nothing secret. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
