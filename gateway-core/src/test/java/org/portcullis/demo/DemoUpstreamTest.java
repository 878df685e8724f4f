package org.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The demo upstream as a browser or the gateway sees it, over real HTTP on 127.0.0.1. */
class DemoUpstreamTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-03-01T09:30:00Z"), ZoneOffset.UTC);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the default would offer an h2c upgrade
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private DemoUpstream demo;

    @BeforeEach
    void start() {
        demo = DemoUpstream.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FIXED);
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    @Test
    void healthzAnswersOkAsPlainText() throws Exception {
        HttpResponse<String> response = get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void homePageListsTheFictionalPatientsWithLinks() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("Riverside Community Care \u2014 Records")
                .contains("<a href=\"/patients/RC-1001\">RC-1001</a>")
                .contains("Mabel Example", "Olive Dummy")
                .contains("every name and record here is fictional");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).startsWith("default-src 'none'"));
    }

    @Test
    void patientPageShowsAllergiesVisitsAndTheNoteForm() throws Exception {
        HttpResponse<String> response = get("/patients/RC-1003");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("Priya Testworth", "30/06/1961")
                .contains("<div class=\"allergy\">Latex</div>")
                .contains("Foot check", "Dietitian L. Mock")
                .contains("<form method=\"post\" action=\"/patients/RC-1003/notes\">");
    }

    @Test
    void requestDetailsShowEveryForwardedHeaderCopyEscaped() throws Exception {
        HttpResponse<String> response = send(request("/admin")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-For", "198.51.100.9")
                .header("X-Forwarded-User", "<script>alert(1)</script>\"'&")
                .GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("System administration")
                .contains("<dt>X-Forwarded-For</dt><dd>203.0.113.7</dd><dd>198.51.100.9</dd>")
                .contains("<dd>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</dd>")
                .doesNotContain("<script>")
                .contains("<dt>X-Forwarded-Proto</dt><dd><i>(not sent)</i></dd>")
                .contains("<dt>Connection from</dt><dd>127.0.0.1:");
    }

    @Test
    void requestedPathAndQueryAreEchoedEscaped() throws Exception {
        HttpResponse<String> response = get("/nothing-here?q=%3Cb%3E&x=<i>".replace("<", "%3C").replace(">", "%3E"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<dd>GET /nothing-here?q=%3Cb%3E&amp;x=%3Ci%3E</dd>");
    }

    @Test
    void postedNoteIsSignedWithTheForwardedUserAndShownEscaped() throws Exception {
        HttpResponse<String> posted = send(request("/patients/RC-1001/notes")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-User", "j.sample")
                .POST(HttpRequest.BodyPublishers.ofString("text=Dressing+changed+%3Cb%3Ewell%3C%2Fb%3E+%26+dry")));

        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(posted.headers().firstValue("Location")).hasValue("/patients/RC-1001");
        assertThat(get("/patients/RC-1001").body()).contains(
                "<tr><td>01/03/2024 09:30 UTC</td><td>j.sample</td>"
                        + "<td class=\"note\">Dressing changed &lt;b&gt;well&lt;/b&gt; &amp; dry</td></tr>");
        assertThat(get("/patients/RC-1002").body()).doesNotContain("Dressing changed");
    }

    @Test
    void noteWithoutUserHeaderSaysSo() throws Exception {
        assertThat(postNote("RC-1002", "text=Seen+at+home").statusCode()).isEqualTo(303);

        assertThat(get("/patients/RC-1002").body()).contains("<td>(no user header)</td><td class=\"note\">Seen at home");
    }

    @Test
    void blankTooLongRepeatedOrBadlyEncodedNotesAreRefused() throws Exception {
        String tooLong = "text=" + "a".repeat(CareRecords.MAX_NOTE_CHARS + 1);
        for (String form : new String[] {"text=+++", "other=1", tooLong, "text=a&text=b", "text=%zz"}) {
            HttpResponse<String> response = postNote("RC-1004", form);
            assertThat(response.statusCode()).as(form.substring(0, Math.min(20, form.length()))).isEqualTo(400);
            assertThat(response.body()).contains("A note must be between 1 and 2000 characters.");
        }
        assertThat(get("/patients/RC-1004").body()).doesNotContain("class=\"note\">a<");
    }

    @Test
    void oversizedFormIs413AndNonFormIs415() throws Exception {
        assertThat(postNote("RC-1001", "text=" + "a".repeat(DemoUpstream.MAX_FORM_BYTES)).statusCode())
                .isEqualTo(413);
        HttpResponse<String> json = send(request("/patients/RC-1001/notes")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")));
        assertThat(json.statusCode()).isEqualTo(415);
    }

    @Test
    void unknownPatientIs404ForPageAndNote() throws Exception {
        assertThat(get("/patients/RC-9999").statusCode()).isEqualTo(404);
        assertThat(postNote("RC-9999", "text=x").statusCode()).isEqualTo(404);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> post = send(request("/").POST(HttpRequest.BodyPublishers.ofString("x")));
        HttpResponse<String> get = get("/patients/RC-1001/notes");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void headHasNoBody() throws Exception {
        HttpResponse<String> response = send(request("/").method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void apiListsPatientsAsJson() throws Exception {
        HttpResponse<String> response = get("/api/patients");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(json.get("fictional").asBoolean()).isTrue();
        assertThat(json.get("patients")).hasSize(5);
        assertThat(json.get("patients").get(0).get("id").asString()).isEqualTo("RC-1001");
        assertThat(json.get("patients").get(2).get("allergies").asInt()).isEqualTo(2);
    }

    @Test
    void portAndBaseUriNameTheBoundLoopbackPort() {
        assertThat(demo.port()).isPositive();
        assertThat(demo.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + demo.port()));
    }

    @Test
    void refusesToListenBeyondLoopback() {
        assertThatThrownBy(() -> DemoUpstream.start(new InetSocketAddress("0.0.0.0", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a loopback address");
    }

    @Test
    void closeStopsListening() {
        demo.close();

        assertThatThrownBy(() -> get("/healthz")).isInstanceOf(ConnectException.class);
    }

    private HttpResponse<String> postNote(String id, String form) throws IOException, InterruptedException {
        return send(request("/patients/" + id + "/notes")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(demo.baseUri() + pathAndQuery)).timeout(Duration.ofSeconds(5));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
