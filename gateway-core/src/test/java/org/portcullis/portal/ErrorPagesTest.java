package org.portcullis.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorPagesTest {
    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 408, 413, 414, 417, 431, 500, 501, 502, 503, 504, 505})
    void everyPageIsShortConstantAndUncached(int status) {
        FullHttpResponse html = ErrorPages.response(status, false, false);
        FullHttpResponse json = ErrorPages.response(status, true, true);
        try {
            assertThat(html.status().code()).isEqualTo(status);
            assertThat(html.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(html.headers().get("Cache-Control")).isEqualTo("no-store");
            assertThat(html.headers().contains("Connection")).isFalse();
            assertThat(html.content().toString(StandardCharsets.UTF_8)).contains(Integer.toString(status))
                    .doesNotContainIgnoringCase("exception").doesNotContain("netty");
            assertThat(json.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(json.headers().get("Connection")).isEqualTo("close");
            assertThat(json.content().toString(StandardCharsets.UTF_8)).startsWith("{\"status\":" + status + ",");
        } finally {
            html.release();
            json.release();
        }
    }

    @Test
    void theRequestIdIsTheReferenceInThePageAndTheJson() {
        FullHttpResponse html = ErrorPages.response(502, false, false, "0123456789abcdef", null);
        FullHttpResponse json = ErrorPages.response(502, true, false, "0123456789abcdef", null);
        try {
            assertThat(html.content().toString(StandardCharsets.UTF_8))
                    .contains("<code id=\"request-id\">0123456789abcdef</code>")
                    .contains("Error 502.")
                    .contains("<a href=\"/\">Go to the start page of this site</a>");
            assertThat(html.headers().get("Content-Security-Policy"))
                    .startsWith("default-src 'none'; style-src 'sha256-").doesNotContain("unsafe-inline");
            assertThat(json.content().toString(StandardCharsets.UTF_8))
                    .endsWith(",\"request_id\":\"0123456789abcdef\"}");
        } finally {
            html.release();
            json.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/problem+json", "text/plain, application/json;q=0.9"})
    void jsonWhenAsked(String accept) {
        assertThat(ErrorPages.wantsJson(new DefaultHttpHeaders().set("Accept", accept))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html,application/xhtml+xml,application/json;q=0.9", "*/*", "text/html"})
    void htmlForBrowsers(String accept) {
        assertThat(ErrorPages.wantsJson(new DefaultHttpHeaders().set("Accept", accept))).isFalse();
    }
}
