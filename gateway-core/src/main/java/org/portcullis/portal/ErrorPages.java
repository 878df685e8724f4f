package org.portcullis.portal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's own error pages: short, branded, the same text for every cause of a status, no versions, no stack
 * traces, no echo of anything the client sent (nothing to reflect, nothing to learn). JSON when the client asked for
 * JSON. The detail of a refusal goes to the log, never to the page.
 */
public final class ErrorPages {
    private record Text(String title, String message) {
    }

    private static final Map<Integer, Text> TEXTS = Map.ofEntries(
            Map.entry(400, new Text("Bad request", "The request could not be understood and was refused.")),
            Map.entry(401, new Text("Sign-in required", "You need to sign in to reach this service.")),
            Map.entry(403, new Text("Access denied", "You are not allowed to reach this page.")),
            Map.entry(404, new Text("Not found", "There is no service at this address.")),
            Map.entry(405, new Text("Method not allowed", "This gateway does not accept that method.")),
            Map.entry(408, new Text("Request timeout", "The request took too long to arrive.")),
            Map.entry(413, new Text("Request too large", "The request body is larger than this service accepts.")),
            Map.entry(414, new Text("Address too long", "The requested address is too long.")),
            Map.entry(417, new Text("Expectation failed", "The request's Expect header is not supported.")),
            Map.entry(431, new Text("Headers too large", "The request headers are too large.")),
            Map.entry(500, new Text("Internal error", "The gateway could not handle this request. It was not forwarded.")),
            Map.entry(501, new Text("Not implemented", "The request uses a transfer coding this gateway does not accept.")),
            Map.entry(502, new Text("Bad gateway", "The service behind this gateway gave an invalid answer or is unreachable.")),
            Map.entry(503, new Text("Service unavailable", "The service is busy. Please try again in a moment.")),
            Map.entry(504, new Text("Gateway timeout", "The service behind this gateway did not answer in time.")),
            Map.entry(505, new Text("HTTP version not supported", "Only HTTP/1.0 and HTTP/1.1 are accepted.")));

    private ErrorPages() {
    }

    /**
     * @param wantsJson true when the request's Accept names JSON (see {@link #wantsJson(HttpHeaders)})
     * @param close     true to end the connection after this response
     */
    public static FullHttpResponse response(int status, boolean wantsJson, boolean close) {
        Text text = TEXTS.getOrDefault(status, new Text("Error", "The request could not be completed."));
        byte[] body = (wantsJson ? json(status, text) : html(status, text)).getBytes(StandardCharsets.UTF_8);
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), content);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, wantsJson ? "application/json" : "text/html; charset=utf-8");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        headers.set("Referrer-Policy", "no-referrer");
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** True when the client asked for JSON (an API or XHR client) rather than a page. */
    public static boolean wantsJson(HttpHeaders requestHeaders) {
        if (requestHeaders == null) {
            return false;
        }
        String accept = requestHeaders.get(HttpHeaderNames.ACCEPT);
        if (accept == null) {
            return false;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return (lower.contains("application/json") || lower.contains("+json")) && !lower.startsWith("text/html");
    }

    private static String json(int status, Text text) {
        return "{\"status\":" + status + ",\"error\":\"" + text.title() + "\",\"message\":\"" + text.message() + "\"}";
    }

    private static String html(int status, Text text) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " " + text.title()
                + "</title><style>body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1d2733;margin:0}"
                + "main{max-width:34rem;margin:12vh auto;padding:2rem;background:#fff;border-top:6px solid #005eb8;"
                + "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:1.4rem;margin:0 0 1rem}"
                + "small{color:#5a6b7b}</style></head><body><main><h1>" + status + " &mdash; " + text.title()
                + "</h1><p>" + text.message() + "</p><small>Portcullis gateway</small></main></body></html>\n";
    }
}
