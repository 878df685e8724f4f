package org.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ResponseHeaderFilterTest {
    static HttpResponse upstream(HttpVersion version, String... headers) {
        HttpResponse response = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        for (int i = 0; i < headers.length; i += 2) {
            response.headers().add(headers[i], headers[i + 1]);
        }
        return response;
    }

    @Test
    void removesHopByHopHeadersAndWhatConnectionNames() {
        HttpResponse response = upstream(HttpVersion.HTTP_1_1, "Connection", "X-Secret, keep-alive",
                "X-Secret", "1", "Keep-Alive", "timeout=5", "Proxy-Connection", "x", "Trailer", "X",
                "Upgrade", "h2c", "Content-Length", "3", "X-Kept", "yes");
        ResponseHeaderFilter.Filtered filtered =
                ResponseHeaderFilter.forClient(response, HttpVersion.HTTP_1_1, false, true);
        assertThat(filtered.head().headers().names())
                .containsExactlyInAnyOrder("Content-Length", "X-Kept");
        assertThat(filtered.closeAfter()).isFalse();
    }

    @Test
    void connectionCannotRemoveContentLength() {
        HttpResponse response = upstream(HttpVersion.HTTP_1_1, "Connection", "Content-Length",
                "Content-Length", "3");
        ResponseHeaderFilter.Filtered filtered =
                ResponseHeaderFilter.forClient(response, HttpVersion.HTTP_1_1, false, true);
        assertThat(filtered.head().headers().get("Content-Length")).isEqualTo("3");
    }

    @Test
    void unframedBodyIsChunkedForHttp11ClientsAndClosesForHttp10() {
        ResponseHeaderFilter.Filtered v11 = ResponseHeaderFilter.forClient(
                upstream(HttpVersion.HTTP_1_0), HttpVersion.HTTP_1_1, false, true);
        assertThat(v11.head().headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(v11.closeAfter()).isFalse();

        ResponseHeaderFilter.Filtered v10 = ResponseHeaderFilter.forClient(
                upstream(HttpVersion.HTTP_1_0), HttpVersion.HTTP_1_0, false, true);
        assertThat(v10.head().headers().contains("Transfer-Encoding")).isFalse();
        assertThat(v10.closeAfter()).isTrue();
        assertThat(v10.head().headers().get("Connection")).isEqualTo("close");
    }

    @Test
    void bodylessResponseKeepsNoTransferEncoding() {
        ResponseHeaderFilter.Filtered head = ResponseHeaderFilter.forClient(
                upstream(HttpVersion.HTTP_1_1, "Transfer-Encoding", "chunked"), HttpVersion.HTTP_1_1, true, true);
        assertThat(head.head().headers().contains("Transfer-Encoding")).isFalse();
    }

    @Test
    void upstreamKeepAliveFollowsVersionAndConnection() {
        assertThat(ResponseHeaderFilter.upstreamKeepsAlive(upstream(HttpVersion.HTTP_1_1))).isTrue();
        assertThat(ResponseHeaderFilter.upstreamKeepsAlive(upstream(HttpVersion.HTTP_1_1, "Connection", "close")))
                .isFalse();
        assertThat(ResponseHeaderFilter.upstreamKeepsAlive(upstream(HttpVersion.HTTP_1_0, "Connection", "keep-alive")))
                .isFalse();
    }
}
