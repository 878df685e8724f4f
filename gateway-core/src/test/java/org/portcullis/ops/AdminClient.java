package org.portcullis.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Prometheus and a load balancer do with the admin listener: GET a path, parse the text exposition. */
public final class AdminClient {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final InetSocketAddress address;

    public AdminClient(InetSocketAddress address) {
        this.address = address;
    }

    public int port() {
        return address.getPort();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    public HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code /metrics}, parsed. */
    public Metrics scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return Metrics.parse(response.body());
    }

    /** One scrape: every sample with its labels. */
    public record Metrics(String text, Map<String, Double> samples) {
        static Metrics parse(String text) {
            Map<String, Double> samples = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (!line.startsWith("#") && m.matches()) {
                    samples.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(m.group(4)));
                }
            }
            return new Metrics(text, samples);
        }

        /** The sum of every sample of {@code name} whose labels include all of {@code labels} (k1, v1, k2, v2, …). */
        public double value(String name, String... labels) {
            double sum = 0;
            for (Map.Entry<String, Double> sample : samples.entrySet()) {
                Matcher m = SAMPLE.matcher(sample.getKey() + " 0");
                if (!m.matches() || !m.group(1).equals(name)) {
                    continue;
                }
                Map<String, String> have = new LinkedHashMap<>();
                Matcher label = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
                while (label.find()) {
                    have.put(label.group(1), label.group(2));
                }
                boolean all = true;
                for (int i = 0; i < labels.length; i += 2) {
                    all &= labels[i + 1].equals(have.get(labels[i]));
                }
                if (all) {
                    sum += sample.getValue();
                }
            }
            return sum;
        }

        /** Whether any sample of {@code name} exists. */
        public boolean has(String name) {
            return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
        }
    }
}
