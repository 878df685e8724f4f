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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.portcullis.config.PortalBranding;
import org.portcullis.portal.guard.PortalPaths;
import org.portcullis.portal.page.PortalMessages;
import org.portcullis.portal.page.PortalPages;
import org.portcullis.snapshot.GatewaySnapshot;
import org.portcullis.snapshot.PortalSite;

/**
 * The gateway's own error pages: short, in the portal's design (its branding when a portal is configured), the same
 * text for every cause of a status, no versions, no stack traces, no echo of anything the client sent (nothing to
 * reflect, nothing to learn). Each names the request id to quote and the organisation's help contact, and has a way
 * on. JSON when the client asked for JSON. The detail of a refusal goes to the log, never to the page.
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

    /** The design of every page when no portal is configured: the default branding, no help contact. */
    private static final PortalPages DEFAULT_PAGES = new PortalPages(PortalBranding.defaults(), List.of());

    private ErrorPages() {
    }

    /**
     * The page without a request id or site (callers outside a request); prefer
     * {@link #response(int, boolean, boolean, String, GatewaySnapshot)}.
     */
    public static FullHttpResponse response(int status, boolean wantsJson, boolean close) {
        return response(status, wantsJson, close, null, null);
    }

    /**
     * The gateway's answer for {@code status}, in the portal's design: what happened, the request id to quote (the
     * same id as the access-log line and the audit event, so a help desk finds the request from it),
     * {@code portal.help_contact}, and a way on (the portal's account page, or this site's start page when there is
     * no portal). JSON clients get the status, the text and the request id.
     *
     * @param wantsJson true when the request's Accept names JSON (see {@link #wantsJson(HttpHeaders)})
     * @param close     true to end the connection after this response
     * @param requestId the request's id, or null when it has none
     * @param snapshot  the config whose portal branding, help contact and URL the page uses; null for the defaults
     */
    public static FullHttpResponse response(int status, boolean wantsJson, boolean close, String requestId,
                                            GatewaySnapshot snapshot) {
        Text text = TEXTS.getOrDefault(status, new Text("Error", "The request could not be completed."));
        PortalPages pages = snapshot == null ? DEFAULT_PAGES
                : snapshot.portalSite().map(PortalSite::pages).orElse(DEFAULT_PAGES);
        Optional<String> portalHome = snapshot == null ? Optional.empty()
                : snapshot.portal().map(origin -> origin.url(PortalPaths.HOME));
        byte[] body = (wantsJson ? json(status, text, requestId)
                : html(pages, status, text, requestId, portalHome)).getBytes(StandardCharsets.UTF_8);
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), content);
        HttpHeaders headers = response.headers();
        if (wantsJson) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            headers.set("Referrer-Policy", "no-referrer");
        } else {
            // The portal pages' headers: the stylesheet allowed by its hash, no script, no framing, no-store.
            pages.headers().setOn(headers);
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
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

    /** The request id is 16 hex characters of the gateway's own; the texts are constants without quotes. */
    private static String json(int status, Text text, String requestId) {
        return "{\"status\":" + status + ",\"error\":\"" + text.title() + "\",\"message\":\"" + text.message()
                + "\"" + (requestId == null ? "" : ",\"request_id\":\"" + requestId + "\"") + "}";
    }

    private static String html(PortalPages pages, int status, Text text, String requestId,
                               Optional<String> portalHome) {
        // The way on is a fixed URL: the configured portal's account page (which sends a signed-out user to sign
        // in), or this site's root. Never the Referer or anything else the client sent.
        return pages.error(status, text.title(), text.message(), requestId,
                portalHome.orElse("/"), portalHome.isPresent() ? PortalMessages.GO_TO_PORTAL
                        : PortalMessages.GO_TO_SITE_START).html();
    }
}
