package org.portcullis.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/ready}: ready when every {@link HealthCheck} passes and the gateway is not shutting down. The JSON
 * body names each part and, for a failing one, the check's fixed problem phrase:
 * <pre>{"status":"not_ready","checks":{"config":"ok","store":"no answer within 2 s","audit":"ok"}}</pre>
 */
public final class Readiness {
    /** The answer: the HTTP status and the JSON body. */
    public record Answer(int status, String json) { }

    private final List<HealthCheck> checks;
    private final BooleanSupplier shuttingDown;

    public Readiness(List<HealthCheck> checks, BooleanSupplier shuttingDown) {
        this.checks = List.copyOf(checks);
        this.shuttingDown = shuttingDown;
    }

    public Answer check() {
        List<String> parts = new ArrayList<>();
        boolean ready = !shuttingDown.getAsBoolean();
        if (!ready) {
            parts.add(entry("shutdown", "shutting down"));
        }
        for (HealthCheck check : checks) {
            Optional<String> problem;
            try {
                problem = check.problem();
            } catch (RuntimeException e) {
                problem = Optional.of("check failed");
            }
            ready &= problem.isEmpty();
            parts.add(entry(check.name(), problem.orElse("ok")));
        }
        String json = "{\"status\":\"" + (ready ? "ready" : "not_ready") + "\",\"checks\":{"
                + String.join(",", parts) + "}}";
        return new Answer(ready ? 200 : 503, json);
    }

    private static String entry(String name, String value) {
        return quote(name) + ":" + quote(value);
    }

    /** The names and phrases are the checks' own constants; escaping still keeps the body valid JSON. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
