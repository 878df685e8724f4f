package org.portcullis.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo upstream: a small legacy-looking care-records web application ("Riverside Community Care — Records")
 * served by the JDK's {@link HttpServer}, for {@code portcullis demo} and for trying the gateway by hand.
 *
 * <p>Pages, all answering {@code GET} and {@code HEAD} unless noted:
 * <ul>
 *   <li>{@code /} — the patient list;</li>
 *   <li>{@code /patients/RC-nnnn} — one patient with visits, allergies and notes, and a form that
 *       {@code POST}s to {@code /patients/RC-nnnn/notes} (answered with {@code 303 See Other} back to the page,
 *       RFC 9110 §15.4.4, so a reload does not post twice);</li>
 *   <li>{@code /admin} — an administration page, the natural target of a stricter access rule;</li>
 *   <li>{@code /healthz} — {@code ok} as text, for health checks behind a {@code bypass} rule;</li>
 *   <li>{@code /api/patients} — the patient list as JSON.</li>
 * </ul>
 * Every HTML page has a "request details" box listing the peer address and every copy of {@code Host},
 * {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -User} it received, escaped. A note is signed
 * with the {@code X-Forwarded-User} the gateway set.
 *
 * <p>The application has no login of its own, as the legacy systems behind Portcullis often have none, so it binds
 * loopback addresses only: it must be reachable through the gateway and nothing else. Its data is fictional and
 * lives in memory ({@link CareRecords}).
 */
public final class DemoUpstream implements AutoCloseable {

    /** Largest accepted note form, in bytes; larger posts get 413. */
    static final int MAX_FORM_BYTES = 16 * 1024;

    private static final int THREADS = 4;
    private static final Pattern PATIENT_PATH = Pattern.compile("/patients/(RC-[0-9]{4})");
    private static final Pattern NOTES_PATH = Pattern.compile("/patients/(RC-[0-9]{4})/notes");
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final String HTML_TYPE = "text/html; charset=utf-8";
    /** Defence in depth for a page that echoes headers: no scripts at all, inline style only. */
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private final HttpServer server;
    private final ExecutorService executor;
    private final CareRecords records;

    private DemoUpstream(HttpServer server, ExecutorService executor, CareRecords records) {
        this.server = server;
        this.executor = executor;
        this.records = records;
    }

    /**
     * Starts the demo on {@code address} (port 0 picks a free port) with the system UTC clock.
     *
     * @throws IllegalArgumentException if the address is unresolved or not a loopback address
     * @throws UncheckedIOException     if the port cannot be bound
     */
    public static DemoUpstream start(InetSocketAddress address) {
        return start(address, Clock.systemUTC());
    }

    /** As {@link #start(InetSocketAddress)}, with the clock that time-stamps new notes. */
    public static DemoUpstream start(InetSocketAddress address, Clock clock) {
        rejectNonLoopback(address);
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("demo upstream: cannot listen on " + address, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        DemoUpstream demo = new DemoUpstream(server, executor, new CareRecords(clock));
        server.createContext("/", demo::handle);
        server.setExecutor(executor);
        server.start();
        return demo;
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URI such as {@code http://127.0.0.1:41234}, with no trailing slash. */
    public URI baseUri() {
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
    }

    /** Stops listening at once and ends the worker threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void rejectNonLoopback(InetSocketAddress address) {
        if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    "demo upstream: address must be a loopback address (it has no login of its own) but is "
                            + address);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String target = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
            InetSocketAddress remote = exchange.getRemoteAddress();
            RequestDetails details = RequestDetails.of(
                    method, target, remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                    exchange.getRequestHeaders());
            route(exchange, method, rawPath == null ? "" : rawPath, details);
        }
    }

    private void route(HttpExchange exchange, String method, String path, RequestDetails details) throws IOException {
        Matcher patient = PATIENT_PATH.matcher(path);
        Matcher notes = NOTES_PATH.matcher(path);
        if (notes.matches()) {
            if (!method.equals("POST")) {
                methodNotAllowed(exchange, "POST", details);
                return;
            }
            addNote(exchange, notes.group(1), details);
            return;
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        boolean known = path.equals("/") || path.equals("/admin") || path.equals("/healthz")
                || path.equals("/api/patients") || patient.matches();
        if (known && !read) {
            methodNotAllowed(exchange, "GET, HEAD", details);
        } else if (path.equals("/")) {
            send(exchange, 200, HTML_TYPE, CarePages.patientList(records.patients(), details));
        } else if (path.equals("/admin")) {
            send(exchange, 200, HTML_TYPE, CarePages.adminPage(details));
        } else if (path.equals("/healthz")) {
            send(exchange, 200, "text/plain; charset=utf-8", "ok");
        } else if (path.equals("/api/patients")) {
            send(exchange, 200, "application/json", patientsJson());
        } else if (patient.matches() && records.patient(patient.group(1)).isPresent()) {
            String id = patient.group(1);
            send(exchange, 200, HTML_TYPE,
                    CarePages.patientPage(records.patient(id).orElseThrow(), records.notes(id), null, details));
        } else {
            send(exchange, 404, HTML_TYPE,
                    CarePages.message("Not found", "There is no page or record at this address.", details));
        }
    }

    private void addNote(HttpExchange exchange, String id, RequestDetails details) throws IOException {
        Optional<Patient> patient = records.patient(id);
        if (patient.isEmpty()) {
            send(exchange, 404, HTML_TYPE, CarePages.message("Not found", "There is no such patient record.", details));
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM_TYPE)) {
            send(exchange, 415, HTML_TYPE,
                    CarePages.message("Unsupported form", "Notes must be sent as an HTML form.", details));
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            send(exchange, 413, HTML_TYPE, CarePages.message("Note too large", "The form was too large.", details));
            return;
        }
        Optional<String> text = formField(new String(body, StandardCharsets.UTF_8), "text");
        if (text.isPresent() && records.addNote(id, details.forwardedUser(), text.get())) {
            exchange.getResponseHeaders().set("Location", "/patients/" + id);
            send(exchange, 303, HTML_TYPE, CarePages.message("Saved", "The note was saved.", details));
            return;
        }
        String error = "A note must be between 1 and " + CareRecords.MAX_NOTE_CHARS + " characters.";
        send(exchange, 400, HTML_TYPE, CarePages.patientPage(patient.get(), records.notes(id), error, details));
    }

    /**
     * The one value of {@code name} in a URL-encoded form, or empty if it is missing, repeated or badly encoded:
     * an ambiguous form is refused rather than guessed at.
     */
    static Optional<String> formField(String form, String name) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                key = URLDecoder.decode(key, StandardCharsets.UTF_8);
                value = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEncoding) {
                return Optional.empty();
            }
            if (fields.putIfAbsent(key, value) != null && key.equals(name)) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(fields.get(name));
    }

    private String patientsJson() {
        StringBuilder json = new StringBuilder("{\"patients\":[");
        List<Patient> patients = records.patients();
        for (int i = 0; i < patients.size(); i++) {
            Patient p = patients.get(i);
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(Html.jsonString(p.id()))
                    .append(",\"name\":").append(Html.jsonString(p.name()))
                    .append(",\"born\":").append(Html.jsonString(p.born().toString()))
                    .append(",\"team\":").append(Html.jsonString(p.team()))
                    .append(",\"allergies\":").append(p.allergies().size()).append('}');
        }
        return json.append("],\"fictional\":true}\n").toString();
    }

    private static void methodNotAllowed(HttpExchange exchange, String allow, RequestDetails details)
            throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        send(exchange, 405, HTML_TYPE,
                CarePages.message("Method not allowed", "This page does not accept that request method.", details));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store"); // care records must not sit in shared or browser caches
        headers.set("X-Content-Type-Options", "nosniff");
        if (contentType.startsWith("text/html")) {
            headers.set("Content-Security-Policy", CSP);
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "demo-upstream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
