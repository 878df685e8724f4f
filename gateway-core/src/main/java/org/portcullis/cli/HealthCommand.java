package org.portcullis.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis health [--address HOST:PORT] [--live]}: asks a running gateway's admin listener whether it is
 * ready (or alive) and exits 0 if so, 1 if not or unreachable. For container health checks on images without curl
 * (distroless): the image's {@code HEALTHCHECK} runs it.
 */
@Command(name = "health", description = "Ask a running gateway's admin listener whether it is ready (exit 0) or not.")
final class HealthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9464",
            description = "The admin listener (server.admin.address); default ${DEFAULT-VALUE}.")
    String address;

    @Option(names = "--live", description = "Ask /health/live (the process answers) instead of /health/ready.")
    boolean live;

    @Override
    public Integer call() {
        URI uri;
        try {
            uri = URI.create("http://" + address + (live ? "/health/live" : "/health/ready"));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("portcullis health: '" + address + "' is not HOST:PORT");
            return 2;
        }
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            spec.commandLine().getOut().println(answer.body());
            return answer.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            spec.commandLine().getErr().println("portcullis health: no answer from " + uri + " (" + e + ")");
            return 1;
        } finally {
            spec.commandLine().getOut().flush();
        }
    }
}
